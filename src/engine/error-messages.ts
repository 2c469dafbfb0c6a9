/**
 * Every message the engine can raise, in one typed registry: a key, the InputError code it is
 * raised with, and its English text with {placeholders}. The engine builds its errors only from
 * here (engineError / parameterError in ./errors), so each error carries its key and parameters
 * and a host can word it in the user's language from the i18n catalogue (src/i18n/messages/
 * engine-errors.ts), falling back to this English text. English lives here rather than in
 * src/i18n because the engine imports nothing from other layers.
 */
import type { InputErrorCode } from './errors';

interface EngineMessage {
  readonly code: InputErrorCode;
  readonly en: string;
}

/** Wording shared by several saturation messages (the optimal method). */
const SATURATION = "the spend at which a customer's response reaches about 63 % of its value";

export const ENGINE_MESSAGES = {
  // Reading cells: dates, money, numbers, keys, headers.
  'date.blank': { code: 'missing-value', en: 'the date is blank; enter a date such as 2025-01-31' },
  'date.invalid': { code: 'bad-date', en: '{value} is not a date; use a date cell or text such as 2025-01-31 or 2025年1月31日' },
  'date.ambiguous': { code: 'ambiguous-date', en: "'{text}' could be day/month or month/day; write it as {year}-MM-DD or set the date order (dmy or mdy)" },
  'money.blank': { code: 'missing-value', en: 'the amount is blank; enter a number such as 1234.50' },
  'money.invalid': { code: 'bad-money', en: '{value} is not an amount; use a number such as 1234.50, ¥1,234.50 or (123.00) for a negative' },
  'money.decimalComma': { code: 'bad-money', en: '{value} is not an amount; it looks like a decimal comma; write {plain} (a dot before the decimals, commas only between thousands)' },
  'number.blank': { code: 'missing-value', en: 'the value is blank; enter a number' },
  'number.invalid': { code: 'bad-number', en: '{value} is not a number' },
  'number.decimalComma': { code: 'bad-number', en: '{value} is not a number; it looks like a decimal comma; write {plain} (a dot before the decimals, commas only between thousands)' },
  'key.blank': { code: 'missing-value', en: 'the {what} is blank; fill it in or delete the row' },
  'columns.lengthMismatch': { code: 'length-mismatch', en: '{name} has {count} rows but {reference} has {expected}; select ranges of the same height' },
  'table.empty': { code: 'no-data', en: 'the table is empty; select a table with a header row and data' },
  'headers.missing': { code: 'missing-column', en: 'no {role} column found among the headers {headers}; rename one (e.g. {examples}) or map it with the {role} column option' },
  'headers.duplicate': { code: 'duplicate-column', en: "columns {first} and {second} are both headed '{header}', so the {role} column is ambiguous; rename or delete one" },
  'headers.notFound': { code: 'missing-column', en: "the {role} column '{column}' is not in the headers {headers}" },

  // RFM and segments.
  'rfm.noTransactions': { code: 'no-data', en: 'there are no transactions to score; check that the table has data rows' },
  'rfm.noPurchases': { code: 'no-data', en: 'no customer has a purchase (amount above 0) on or before the as-of date {asOf}; check the as-of date and the amount column' },
  'rfm.weights': { code: 'bad-parameter', en: 'give three weights for R, F and M, each 0 or more and not all 0 (got {weights})' },
  'rfm.cutPoints': { code: 'bad-parameter', en: 'cut points must be numbers in strictly ascending order (got {cutPoints})' },
  'rfm.bins': { code: 'bad-parameter', en: 'must be a whole number from 2 to 9 (got {bins})' },
  'rfm.thresholdCounts': { code: 'bad-parameter', en: 'give the same number of cut points for R, F and M so the scores share one scale' },
  'rfm.rfm10Scale': { code: 'bad-parameter', en: 'the rfm10 rules are defined for scores 1 to 5, but these scores run 1 to {maxScore}; use 5 bins (or 4 cut points), rfm8, or your own rules' },
  'segments.sameName': { code: 'bad-parameter', en: "'{first}' and '{second}' are the same segment; give it once" },
  'segments.noRules': { code: 'bad-parameter', en: 'the rule table is empty; give at least one rule' },
  'segments.ruleNoName': { code: 'bad-parameter', en: 'rule {rule} has no name' },
  'segments.ruleRange': { code: 'bad-parameter', en: "rule '{name}': {score} range {low}-{high} must be whole scores from 1 to {maxScore}, low before high" },
  'abc.thresholds': { code: 'bad-parameter', en: 'need 0 < A < B <= 1 (got A {a}, B {b})' },
  'abc.notANumber': { code: 'bad-parameter', en: 'row {row}: {value} is not a number' },
  'matrix.lengthMismatch': { code: 'bad-parameter', en: 'profit has {profit} rows but relationship has {relationship}' },

  // Variance.
  'variance.periodReversed': { code: 'bad-parameter', en: 'the period ends before it starts' },
  'variance.fraction': { code: 'bad-parameter', en: 'must be a fraction of 0 or more (got {value})' },
  'variance.fractionAtMost': { code: 'bad-parameter', en: 'must be a fraction of 0 or more and at most {max} (got {value})' },
  'variance.duplicateKey': { code: 'bad-parameter', en: "the plan has the key '{key}' twice; each plan line needs its own key" },

  // Lifetime value: simple and retention formulas.
  'clv.profitNeeded': { code: 'bad-parameter', en: 'give the annual profit, or the annual revenue and the margin' },
  'clv.notANumber': { code: 'bad-parameter', en: 'must be a number (got {value})' },
  'clv.years': { code: 'bad-parameter', en: 'must be 0 or more (got {value})' },
  'clv.retention': { code: 'bad-parameter', en: 'must be from 0 up to (not including) 1, e.g. 0.8 for 80 % (got {value})' },
  'clv.discountRate': { code: 'bad-parameter', en: 'must be 0 or more, e.g. 0.1 for 10 % (got {value})' },
  'clv.wholeYears': { code: 'bad-parameter', en: 'must be a whole number of years, 0 or more (got {value})' },

  // Lifetime value: BG/NBD and Gamma-Gamma.
  'bgnbd.lengthMismatch': { code: 'length-mismatch', en: 'frequency, recency and T must have one value per customer (got {frequency}, {recency} and {age})' },
  'bgnbd.frequency': { code: 'bad-number', en: 'frequency must be a whole number of repeat purchases, 0 or more (got {value})' },
  'bgnbd.recency': { code: 'bad-number', en: 'recency and T must satisfy 0 <= recency <= T (got recency {recency}, T {age}); T is measured to the end of observation' },
  'bgnbd.recencyWithoutRepeat': { code: 'bad-number', en: 'a customer without repeat purchases has recency 0 (got {value})' },
  'fit.penalty': { code: 'bad-parameter', en: 'the penalty must be a number, 0 or more (got {value})' },
  'bgnbd.tooLittleHistory': { code: 'no-data', en: 'the BG/NBD model needs more history: {customers} customers, {repeatCustomers} with a repeat purchase; use a longer period, at least a few dozen customers with repeat purchases, or the simple CLV' },
  'bgnbd.notConverged': { code: 'not-converged', en: 'the BG/NBD fit did not converge from {starts} starting points; check the summary (enough customers with repeat purchases?) or add a small penalty, e.g. 0.001' },
  'gammaGamma.lengthMismatch': { code: 'length-mismatch', en: 'frequency and monetary must have one value per customer (got {frequency} and {monetary})' },
  'gammaGamma.monetary': { code: 'bad-number', en: 'monetary must be a number (got {value})' },
  'gammaGamma.tooFewSpenders': { code: 'no-data', en: 'the Gamma-Gamma spend model needs repeat customers with spend: only {count} have a repeat purchase with a positive value; use a longer period or the simple CLV' },
  'gammaGamma.notConverged': { code: 'not-converged', en: 'the Gamma-Gamma fit did not converge; check the spend values (a few extreme ones?) or add a small penalty, e.g. 0.001' },
  'clv.infiniteMeanSpend': { code: 'bad-parameter', en: "the Gamma-Gamma fit gives q = {q} <= 1, so the model's mean spend (p gamma / (q - 1)) and every CLV would be infinite; a few very large repeat purchases usually cause this: check them, or use a spend penalty, or the simple CLV" },
  'clv.horizonMonths': { code: 'bad-parameter', en: 'horizon months must be a whole number of months from 0 to 1200 (got {value})' },
  'clv.discountMonthly': { code: 'bad-parameter', en: 'the monthly discount rate must be 0 or more, e.g. 0.01 for 1 % a month (got {value})' },
  'clv.purchasesHorizon': { code: 'bad-parameter', en: 'the purchases horizon must be 0 days or more (got {value})' },
  'clv.unitMismatch': { code: 'bad-parameter', en: 'the summary is in {summaryUnit} but the model was fitted in {modelUnit}; summarise in {modelUnit}' },
  'holdout.reversed': { code: 'bad-parameter', en: 'the holdout period must end on or after its first day (holdout from epoch day {from}, to {to})' },
  'holdout.beforeCalibration': { code: 'bad-parameter', en: 'the holdout must end after the calibration period (calibration end epoch day {calibrationEnd}, holdout end {holdoutEnd})' },

  // Allocation: budget, bounds, methods.
  'budget.notPositive': { code: 'bad-parameter', en: 'must be a number above 0 (got {value})' },
  'budget.reserve': { code: 'bad-parameter', en: 'must be a fraction from 0 up to (not including) 1, e.g. 0.05 for 5 % (got {value})' },
  'budget.unit': { code: 'bad-parameter', en: 'must be a positive multiple of {step} (got {value})' },
  'budget.tooLarge': { code: 'bad-parameter', en: 'is too large to count exactly in minor units (got {value})' },
  'budget.belowUnit': { code: 'bad-parameter', en: 'the budget after the reserve is less than one rounding unit ({unit}); lower the unit or the reserve' },
  'bounds.floor': { code: 'bad-number', en: 'the floor {value} must be a number of 0 or more' },
  'bounds.cap': { code: 'bad-number', en: 'the cap {value} must be 0 or more' },
  'bounds.length': { code: 'length-mismatch', en: '{name}: has {count} values for {rows} rows; give one per row (blank for none) or one number for all' },
  'bounds.floorAboveCap': { code: 'infeasible', en: 'the floor {floor} is above the cap {cap} once both are rounded to the unit {unit} (floors round up, caps round down); lower the floor or raise the cap' },
  'allocation.floorsExceed': { code: 'infeasible', en: 'the floors add up to {floors}, more than the {total} to distribute; lower the floors or raise the budget' },
  'allocation.floorsExceedInGroup': { code: 'infeasible', en: "the floors of group '{group}' add up to {floors}, more than the {total} to distribute; lower the floors or raise the budget" },
  'allocation.allZeroWeights': { code: 'infeasible', en: 'every weight is 0, so there is no proportion to split by; check the weight column, give some customers a positive weight, or use the equal method' },
  'allocation.allZeroWeightsInGroup': { code: 'infeasible', en: "every weight of group '{group}' is 0, so there is no proportion to split by; check the weight column, give some customers a positive weight, or use the equal method" },
  'allocation.negativeWeight': { code: 'bad-number', en: 'the weight {value} must be a number of 0 or more' },
  'allocation.method': { code: 'bad-parameter', en: 'must be proportional, equal, shares or optimal (got {value})' },
  'allocation.noCustomers': { code: 'no-data', en: 'there are no customers to allocate to' },
  'allocation.sharesNeedOptimal': { code: 'bad-parameter', en: "minimum and maximum segment shares apply to the optimal method only; use --method optimal, or the shares method to fix each segment's share" },
  'allocation.response': { code: 'bad-parameter', en: 'must be exp or log (got {value})' },
  'saturation.required': { code: 'bad-parameter', en: `the optimal method needs a saturation spend (a number or a column): ${SATURATION}` },
  'saturation.notPositive': { code: 'bad-parameter', en: `must be a number above 0 (got {value}): ${SATURATION}` },
  'saturation.rowNotPositive': { code: 'bad-number', en: `the saturation spend {value} must be a number above 0 (${SATURATION})` },
  'saturation.length': { code: 'length-mismatch', en: 'saturation: has {count} values for {rows} rows' },
  'saturation.tooLarge': { code: 'bad-number', en: "the saturation spend {value} is more than a trillion times the budget to distribute ({distributable}): every response would be a straight line and the split arbitrary; use the spend at which a customer's response levels off" },
  'optimal.segmentsLength': { code: 'length-mismatch', en: 'segments: has {count} values for {rows} rows' },
  'optimal.unknownSegment': { code: 'bad-parameter', en: "there is no segment '{segment}' among the rows (segments: {segments})" },
  'optimal.minShare': { code: 'bad-parameter', en: "the minimum share of '{segment}' must be a fraction from 0 to 1 (got {value})" },
  'optimal.maxShare': { code: 'bad-parameter', en: "the maximum share of '{segment}' must be a fraction from 0 to 1 (got {value})" },
  'optimal.minAboveMax': { code: 'bad-parameter', en: "the minimum share of '{segment}' ({min}) is above its maximum share ({max}); lower the minimum or raise the maximum" },
  'optimal.floorsAboveMaxShare': { code: 'infeasible', en: "segment '{segment}': its customers' floors add up to {floors}, more than its maximum share of {maxShare}; lower the floors or raise the maximum share" },
  'optimal.minShareUnreachable': { code: 'infeasible', en: "segment '{segment}': its minimum share needs {needed}, but its customers can take at most {reach} (their caps; customers with value 0 stay at their floors); lower the minimum share or raise the caps" },
  'optimal.minSharesExceed': { code: 'infeasible', en: "the segments' minimum shares and floors add up to {lower}, more than the {total} to distribute; lower the minimum shares" },
  'optimal.allValuesZero': { code: 'infeasible', en: 'every value at stake is 0, so no spend returns anything; check the value column' },
  'segmentLimits.notALimit': { code: 'bad-parameter', en: "'{item}' is not a segment limit; write segment<=share or segment>=share, separated by semicolons, e.g. Lost<=5%;Champions>=20%" },
  'segmentLimits.badShare': { code: 'bad-parameter', en: "the share {value} for '{segment}' must be a fraction from 0 to 1, such as 20% or 0.2" },
  'segmentLimits.duplicateMin': { code: 'bad-parameter', en: "'{segment}' has more than one minimum share; give each segment at most one minimum and one maximum" },
  'segmentLimits.duplicateMax': { code: 'bad-parameter', en: "'{segment}' has more than one maximum share; give each segment at most one minimum and one maximum" },
  'segmentLimits.minAboveMax': { code: 'bad-parameter', en: "the minimum share of '{segment}' ({min}) is above its maximum share ({max}); lower the minimum or raise the maximum" },
  'shares.missing': { code: 'bad-parameter', en: 'the shares method needs a share per group, e.g. Champions=0.4,Others=0.6' },
  'shares.negative': { code: 'bad-parameter', en: "the share of '{group}' must be a fraction of 0 or more (got {value})" },
  'shares.total': { code: 'bad-parameter', en: 'shares must add up to 1 (100 %); they add up to {total}' },
  'shares.groupWithoutShare': { code: 'bad-parameter', en: "the group '{group}' has no share; add it to the shares (e.g. {group}=0.1)" },
  'shares.groupsLength': { code: 'bad-parameter', en: 'the shares method needs a group (segment) for every row ({groups} groups for {rows} rows)' },
  'replan.budgetUsedUp': { code: 'infeasible', en: 'spend to date ({spent}) with the floors adds up to {floors}, more than the {distributable} to distribute: the budget is already used up; raise the budget or lower the reserve' },
  'scenarios.none': { code: 'bad-parameter', en: 'give at least one budget multiplier, e.g. 0.9,1,1.1' },
  'scenarios.multiplier': { code: 'bad-parameter', en: 'a budget multiplier must be a number above 0, e.g. 0.9 for 90 % (got {value})' },
  'scenarios.curvePoints': { code: 'bad-parameter', en: 'must be a whole number of 2 or more (got {value})' },
  /** Wraps the error of one scenario: {reason} is that error's own message (code and value kept from it). */
  'scenarios.failed': { code: 'infeasible', en: 'budget scenario x{multiplier} (budget {budget}): {reason}' },

  // Phasing, activity split and the plan.
  'profile.empty': { code: 'bad-parameter', en: 'give at least one period or activity' },
  'profile.length': { code: 'bad-parameter', en: 'has {names} names but {weights} weights' },
  'profile.duplicateNames': { code: 'bad-parameter', en: 'names must be unique ({list})' },
  'profile.negativeWeights': { code: 'bad-parameter', en: 'weights must be 0 or more ({list})' },
  'profile.zeroWeights': { code: 'bad-parameter', en: 'weights must not all be 0' },
  'profile.activitiesDiffer': { code: 'bad-parameter', en: 'must list the same activities as the global split ({list})' },
  'plan.clvNeeded': { code: 'bad-parameter', en: "'clv' needs a lifetime value per customer" },
  'plan.year': { code: 'bad-parameter', en: 'must be a year such as 2026 (got {value})' },
} as const satisfies Record<string, EngineMessage>;

export type EngineMessageKey = keyof typeof ENGINE_MESSAGES;

/** A message's parameters: numbers and text, filled into its {placeholders}. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** Fills {name} placeholders; a placeholder without a value stays as written. */
export function fillTemplate(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Every key of the registry, for tests and catalogues that walk them. */
export function engineMessageKeys(): EngineMessageKey[] {
  return Object.keys(ENGINE_MESSAGES) as EngineMessageKey[];
}
