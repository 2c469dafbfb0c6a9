/** Workbook spec helpers: names Excel accepts, addresses, the formula-like text rule, the parameter hash. */
import fc from 'fast-check';
import { canonicalJson, fnv1a64, parameterHash } from '../../src/workbook/hash';
import { cellAddress, cleanSheetName, columnName, epochDaysFromIsoTime, excelSerialFromEpochDays, looksLikeFormula, rangeAddress, tableTotalsFunctions, uniqueHeaders, uniqueSheetName, uniqueTableName } from '../../src/workbook/spec';

describe('sheet names', () => {
  it('numbers repeated runs: Budget Plan, Budget Plan (2), ... ignoring case', () => {
    expect(uniqueSheetName('Budget Plan', [])).toBe('Budget Plan');
    expect(uniqueSheetName('Budget Plan', ['budget plan'])).toBe('Budget Plan (2)');
    expect(uniqueSheetName('Budget Plan', ['Budget Plan', 'Budget Plan (2)', 'BUDGET PLAN (3)'])).toBe('Budget Plan (4)');
    expect(uniqueSheetName('预算方案', ['预算方案'])).toBe('预算方案 (2)');
  });

  it('keeps to 31 characters, without \\ / ? * [ ] : or apostrophes at the ends, never "History"', () => {
    expect(cleanSheetName('a/b\\c?d*e[f]g:h')).toBe('a b c d e f g h');
    expect(cleanSheetName("'quoted'")).toBe('quoted');
    expect(cleanSheetName('   ')).toBe('Sheet');
    const long = 'x'.repeat(40);
    expect(uniqueSheetName(long, [])).toBe('x'.repeat(31));
    expect(uniqueSheetName(long, ['x'.repeat(31)])).toBe(`${'x'.repeat(27)} (2)`); // 27 + 4 = 31
    expect(uniqueSheetName('History', [])).toBe('History (2)');
    // An emoji (a surrogate pair) at the cut is not split.
    expect(cleanSheetName(`${'a'.repeat(30)}😀`)).toBe('a'.repeat(30));
  });

  it('property: always a new, valid name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), fc.array(fc.string({ maxLength: 35 }), { maxLength: 8 }), (base, existing) => {
        const name = uniqueSheetName(base, existing);
        expect(name.length).toBeGreaterThan(0);
        expect(name.length).toBeLessThanOrEqual(31);
        expect(name).not.toMatch(/[\\/?*[\]:]|^'|'$/);
        expect(existing.map((e) => e.toLowerCase())).not.toContain(name.toLowerCase());
      }),
    );
  });
});

describe('table names and headers', () => {
  it('numbers table names and makes headers unique', () => {
    expect(uniqueTableName('CBP_Plan', ['cbp_plan', 'CBP_Plan_2'])).toBe('CBP_Plan_3');
    expect(uniqueHeaders(['Customer', 'customer', '', '', 'Visits'])).toEqual(['Customer', 'customer (2)', 'Column', 'Column (2)', 'Visits']);
  });

  it('sums only the asked columns, or by default the all-number ones after the first', () => {
    const table = { name: 'T', row: 0, col: 0, header: ['k', 'n', 't'], rows: [['a', 1, 'x']], numberFormats: [null, null, null] };
    expect(tableTotalsFunctions(table)).toEqual(['none', 'sum', 'none']);
    expect(tableTotalsFunctions({ ...table, totalsFunctions: ['sum', 'none', 'sum'] })).toEqual(['none', 'none', 'sum']);
  });
});

describe('addresses and dates', () => {
  it('names columns and ranges', () => {
    expect([0, 25, 26, 27, 701, 702, 16383].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA', 'XFD']);
    expect(cellAddress(29, 31)).toBe('AF30');
    expect(rangeAddress(3, 3, 5, 4)).toBe('D4:G8');
  });

  it('turns epoch days into Excel serials and ISO times into fractional days', () => {
    // 2025-01-31 is 20,119 days after 1970-01-01; Excel's serial for it is 45,688.
    expect(excelSerialFromEpochDays(20119)).toBe(45688);
    // 2026-01-05T09:00:00Z = 20,458 days + 9/24.
    expect(epochDaysFromIsoTime('2026-01-05T09:00:00Z')).toBe(20458.375);
    expect(() => epochDaysFromIsoTime('yesterday')).toThrow('not an ISO time: yesterday');
  });

  it('knows which text Excel would take for a formula', () => {
    expect(['=SUM(A1)', '+1', '-x', '@a'].map(looksLikeFormula)).toEqual([true, true, true, true]);
    expect(['a=b', ' =x', '', '１'].map(looksLikeFormula)).toEqual([false, false, false, false]);
  });
});

describe('parameter hash', () => {
  it('starts with standard 32-bit FNV-1a (published test vectors)', () => {
    // FNV-1a 32: "" -> 811c9dc5, "a" -> e40c292c, "foobar" -> bf9cf968.
    expect(fnv1a64('').slice(0, 8)).toBe('811c9dc5');
    expect(fnv1a64('a').slice(0, 8)).toBe('e40c292c');
    expect(fnv1a64('foobar').slice(0, 8)).toBe('bf9cf968');
    expect(fnv1a64('foobar')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('does not depend on key order, and changes with any value', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe('{"a":[1,{"d":2}],"b":1}');
    expect(parameterHash({ budget: 500000, reserve: 0.05 })).toBe(parameterHash({ reserve: 0.05, budget: 500000 }));
    expect(parameterHash({ budget: 500000, reserve: 0.05 })).not.toBe(parameterHash({ budget: 500001, reserve: 0.05 }));
  });
});
