/**
 * CBP.VARIANCE: each row of the selection is one plan line, compared with its actual spend by the
 * engine's computeVariance (src/engine/variance.ts) with the SPEC's default margins. Status labels
 * come from i18n (the same words the variance sheet uses).
 */
import { InputError } from '../engine/errors';
import { fromMinorUnits, readMoney } from '../engine/money';
import { computeVariance } from '../engine/variance';
import { t } from '../i18n';
import { functionsLocale } from './locale';
import { Argument, Cell, asColumn, firstRowIsHeader, isBlank, isOmitted, optionalBoolean, optionalChoice, requireSameLength, trimTrailingBlankRows } from './cells';

export interface VarianceArgs {
  plan: Argument;
  actual: Argument;
  expected_to_date?: Argument;
  show_details?: Argument;
  language?: Argument;
}

/** SPEC defaults: over budget above 0 %, at risk above expected + 10 %, under-used below expected - 50 %. */
const OVER_TOLERANCE = 0;
const WARN_MARGIN = 0.1;
const UNDER_MARGIN = 0.5;

const DETAIL_COLUMNS = ['variance', 'variance %', 'utilisation', 'status'];

function money(cell: Cell, row: number, column: string): number {
  return readMoney(cell, { row, column });
}

/** CBP.VARIANCE: one status (or variance, variance %, utilisation, status) per row, aligned with the input. */
export function varianceRows(given: VarianceArgs): unknown[][] {
  const [planArg, actualArg, expectedArg] = trimTrailingBlankRows([given.plan, given.actual, given.expected_to_date]);
  const args: VarianceArgs = { ...given, plan: planArg as Argument, actual: actualArg as Argument, expected_to_date: expectedArg };
  const plan = asColumn(args.plan, 'plan');
  const actual = asColumn(args.actual, 'actual');
  const columns: [string, Cell[]][] = [
    ['plan', plan],
    ['actual', actual],
  ];
  const expected = isOmitted(args.expected_to_date ?? null) ? undefined : asColumn(args.expected_to_date as Argument, 'expected_to_date');
  if (expected) columns.push(['expected_to_date', expected]);
  requireSameLength(columns);
  const details = optionalBoolean(args.show_details ?? null, 'show_details', false);
  const locale = optionalChoice(args.language ?? null, 'language', ['en', 'zh'] as const, 'en') === 'zh' ? 'zh-CN' : 'en';
  const header = firstRowIsHeader([plan, actual], [(c) => readMoney(c), (c) => readMoney(c)]);

  // Each row is its own plan key; a row with spend but no plan is actual spend on an unknown key: Unplanned.
  const planKeys: string[] = [];
  const planMinor: number[] = [];
  const expectedMinor: number[] = [];
  const actualKeys: string[] = [];
  const actualMinor: number[] = [];
  for (let i = header ? 1 : 0; i < plan.length; i++) {
    const row = i + 1;
    const key = String(i);
    if (!isBlank(plan[i])) {
      const planned = money(plan[i], row, 'plan');
      if (planned < 0) throw new InputError('bad-number', t(functionsLocale(), 'functions.variance.negativePlan', { value: String(plan[i]) }), { row, column: 'plan' }, plan[i]);
      planKeys.push(key);
      planMinor.push(planned);
      expectedMinor.push(expected && !isBlank(expected[i]) ? money(expected[i], row, 'expected_to_date') : planned);
    }
    if (!isBlank(actual[i])) {
      actualKeys.push(key);
      actualMinor.push(money(actual[i], row, 'actual'));
    }
  }
  const result = computeVariance(
    { keys: planKeys, planMinor, expectedToDateMinor: expectedMinor },
    { keys: actualKeys, dates: new Int32Array(actualKeys.length), amountsMinor: actualMinor },
    { asOf: 0, overTolerance: OVER_TOLERANCE, warnMargin: WARN_MARGIN, underMargin: UNDER_MARGIN },
  );
  const out: unknown[][] = plan.map(() => (details ? ['', '', '', ''] : ['']));
  if (header) out[0] = details ? DETAIL_COLUMNS : ['status'];
  for (const line of result.rows) {
    if (line.status === 'unplanned' && line.actualMinor === 0) continue; // a zero with no plan is nothing to report
    const status = t(locale, `status.${line.status}`);
    out[Number(line.key)] = details ? [fromMinorUnits(line.varianceMinor), line.variancePct ?? '', line.utilisation ?? '', status] : [status];
  }
  return out;
}
