/**
 * Every CBP.* function is exported under the name the build associates with its id, and no input
 * whatsoever makes one throw anything but a CustomFunctions.Error (Excel would otherwise show a
 * bare #VALUE! with no explanation, or worse, the runtime would log an unhandled exception).
 */
import fc from 'fast-check';
import { installCustomFunctionsStub, StubCustomFunctionsError } from './helpers/custom-functions-stub';
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';
import * as path from 'path';

installCustomFunctionsStub();
// Imported after the stub is installed, as Office.js defines CustomFunctions before functions.js runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const functions = require('../../src/functions/functions') as Record<string, (...args: unknown[]) => unknown>;

const IDS = ['RFM', 'RFMSCORE', 'CLV', 'ALLOCATE', 'SEGMENT', 'VARIANCE'];

test('every id the build associates is an exported function of functions.ts', async () => {
  const { associate, errors } = await generateCustomFunctionsMetadata([path.resolve(__dirname, '../../src/functions/functions.ts')], false);
  expect(errors).toEqual([]);
  expect(associate.map((a: { id: string }) => a.id)).toEqual(IDS);
  for (const { functionName } of associate as { functionName: string }[]) expect(typeof functions[functionName]).toBe('function');
});

test('the runtime guard leaves the real CustomFunctions alone', () => {
  const global = globalThis as unknown as { CustomFunctions: { Error: unknown } };
  expect(global.CustomFunctions.Error).toBe(StubCustomFunctionsError);
});

const cell = fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 12 }), fc.boolean(), fc.constant(''), fc.constant(null), fc.constantFrom('rfm8', 'simple', 'abc', '2024-12-31', '1,1,2', 'zh'));
const range = fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 });
const argument = fc.oneof(cell, range, fc.constant(undefined));

test.each(IDS)('property: CBP.%s returns a 2-D array or throws a CustomFunctions.Error, whatever it is given', (id) => {
  fc.assert(
    fc.property(fc.array(argument, { maxLength: 8 }), (args) => {
      try {
        const result = functions[id](...args);
        expect(Array.isArray(result)).toBe(true);
        for (const row of result as unknown[][]) {
          expect(Array.isArray(row)).toBe(true);
          for (const value of row) {
            const ok = (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string' || typeof value === 'boolean' || value instanceof StubCustomFunctionsError;
            expect(ok).toBe(true);
          }
        }
      } catch (error) {
        expect(error).toBeInstanceOf(StubCustomFunctionsError);
        expect(['#VALUE!', '#NUM!']).toContain((error as StubCustomFunctionsError).code);
      }
    }),
    { numRuns: 200 },
  );
});
