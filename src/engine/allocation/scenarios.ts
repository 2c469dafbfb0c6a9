/**
 * The same allocation at several budgets (e.g. 90 %, 100 %, 110 %), side by side per group, with
 * the total expected response at each, and the response-versus-budget curve finance asks for: the
 * total expected response and the marginal return of the next currency unit at an even grid of
 * budgets (optimal method only; the other methods have no response model).
 *
 * Every number a sheet or a command shows is computed here; callers only convert minor units to
 * major units (toMajor) for display.
 */
import { InputError, parameterError, wrappedError } from '../errors';
import { allocateBudget, AllocationMethod, AllocationRequest, AllocationResult, toMajor } from './allocate';

export interface Scenario {
  multiplier: number;
  /** The budget of this scenario in major units (base budget x multiplier, to the minor unit). */
  budget: number;
  result: AllocationResult;
  /** Allocated minor units per group (all rows in one group '' when no groups are given). */
  byGroup: Map<string, number>;
  /** Allocated to customers: D - unallocated, in minor units. */
  allocatedMinor: number;
  /** Held back: the reserve plus any unallocated remainder, in minor units (budget - allocated). */
  heldBackMinor: number;
  /** Total expected response (optimal method only). */
  totalResponse?: number;
  /** Response of the same budget split proportionally to the values (optimal method only). */
  proportionalResponse?: number;
  /** totalResponse - proportionalResponse: what the optimal split gains over a proportional one. */
  responseGain?: number;
  /** The gain as a fraction of the proportional response (undefined when that is 0). */
  responseGainRatio?: number;
  /** Marginal return of the next major currency unit (per ¥1 / $1) at this budget. */
  lambdaPerCurrencyUnit?: number;
}

/** One point of the response-versus-budget curve. */
export interface CurvePoint {
  multiplier: number;
  /** Major units. */
  budget: number;
  allocatedMinor: number;
  totalResponse: number;
  proportionalResponse: number;
  responseGain: number;
  /** Marginal return of the next currency unit at this budget (the solver's lambda per major unit). */
  marginalReturn: number;
  /**
   * Response gained per currency unit since the previous point of the curve:
   * (response - previous response) / (allocated - previous allocated); undefined at the first point
   * or when the allocated amount did not change.
   */
  incrementalReturn?: number;
  /** True when the multiplier is one of the scenarios asked for. */
  isScenario: boolean;
}

export interface ScenarioGroup {
  /** '' when the request has no groups (every row in one group) or for rows with a blank group. */
  group: string;
  customers: number;
}

export interface ScenarioAnalysis {
  method: AllocationMethod;
  minorDigits: number;
  unitMinor: number;
  /** The base budget (multiplier 1) in major units, as given. */
  baseBudget: number;
  /** Whether the rows were grouped (segments); false: one group '' holds every row. */
  grouped: boolean;
  /** Groups in order of first appearance, with their customer counts. */
  groups: ScenarioGroup[];
  scenarios: Scenario[];
  /** The response-versus-budget curve, by increasing budget; empty unless the method is optimal. */
  curve: CurvePoint[];
}

function checkMultipliers(multipliers: readonly number[]): void {
  if (multipliers.length === 0) throw parameterError('scenarios', 'scenarios.none');
  for (const m of multipliers) {
    if (!Number.isFinite(m) || m <= 0) throw parameterError('scenarios', 'scenarios.multiplier', { value: m });
  }
}

/** The allocation at one scenario's budget; a failure names the scenario, since the base budget may well work. */
function allocateScenario(request: AllocationRequest, multiplier: number): AllocationResult {
  try {
    return allocateBudget({ ...request, budget: request.budget * multiplier });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw wrappedError('scenarios.failed', { multiplier, budget: request.budget * multiplier }, error);
  }
}

function scenarioAt(request: AllocationRequest, multiplier: number): Scenario {
  const result = allocateScenario(request, multiplier);
  const byGroup = new Map<string, number>();
  for (const group of request.groups ?? []) if (!byGroup.has(group)) byGroup.set(group, 0);
  result.amountsMinor.forEach((amount, i) => {
    const group = request.groups?.[i] ?? '';
    byGroup.set(group, (byGroup.get(group) ?? 0) + amount);
  });
  const allocatedMinor = result.distributableMinor - result.unallocatedMinor;
  const o = result.optimal;
  const gain = o ? o.totalResponse - o.proportionalResponse : undefined;
  return {
    multiplier,
    budget: toMajor(result, result.budgetMinor),
    result,
    byGroup,
    allocatedMinor,
    heldBackMinor: result.budgetMinor - allocatedMinor,
    totalResponse: o?.totalResponse,
    proportionalResponse: o?.proportionalResponse,
    responseGain: gain,
    responseGainRatio: o?.gainOverProportional,
    lambdaPerCurrencyUnit: o?.lambdaPerCurrencyUnit,
  };
}

/** The allocation at each multiplier of the budget, in the order given. */
export function allocateScenarios(request: AllocationRequest, multipliers: readonly number[]): Scenario[] {
  checkMultipliers(multipliers);
  return multipliers.map((multiplier) => scenarioAt(request, multiplier));
}

/** A multiplier as a key, so 0.1 + 0.2 and 0.3 are the same point of the grid. */
function multiplierKey(m: number): string {
  return m.toPrecision(12);
}

/**
 * The multipliers of the curve: the given ones plus `points` evenly spaced from the smallest to
 * the largest, ascending, without repeats. One multiplier (or all equal): just that one.
 */
export function curveMultipliers(multipliers: readonly number[], points = 11): number[] {
  checkMultipliers(multipliers);
  if (!Number.isInteger(points) || points < 2) throw parameterError('curve points', 'scenarios.curvePoints', { value: points });
  const lo = Math.min(...multipliers);
  const hi = Math.max(...multipliers);
  const grid = lo === hi ? [lo] : Array.from({ length: points }, (_, k) => (k === points - 1 ? hi : lo + ((hi - lo) * k) / (points - 1)));
  const byKey = new Map<string, number>();
  for (const m of [...multipliers, ...grid]) {
    const key = multiplierKey(m);
    if (!byKey.has(key)) byKey.set(key, Number(key));
  }
  return [...byKey.values()].sort((a, b) => a - b);
}

/**
 * The response-versus-budget curve (optimal method): total expected response, the proportional
 * split's response and the marginal return at each multiplier of curveMultipliers(), reusing the
 * scenarios already computed. Empty for the other methods.
 */
export function responseCurve(request: AllocationRequest, scenarios: readonly Scenario[], multipliers: readonly number[], points = 11): CurvePoint[] {
  if ((request.method ?? 'proportional') !== 'optimal') return [];
  const given = new Map(scenarios.map((s) => [multiplierKey(s.multiplier), s]));
  const asked = new Set(multipliers.map(multiplierKey));
  const curve: CurvePoint[] = [];
  for (const multiplier of curveMultipliers(multipliers, points)) {
    const key = multiplierKey(multiplier);
    const s = given.get(key) ?? scenarioAt(request, multiplier);
    const o = s.result.optimal;
    if (!o) return [];
    const previous = curve[curve.length - 1];
    const spent = previous ? s.allocatedMinor - previous.allocatedMinor : 0;
    curve.push({
      multiplier,
      budget: s.budget,
      allocatedMinor: s.allocatedMinor,
      totalResponse: o.totalResponse,
      proportionalResponse: o.proportionalResponse,
      responseGain: o.totalResponse - o.proportionalResponse,
      marginalReturn: o.lambdaPerCurrencyUnit,
      incrementalReturn: previous && spent > 0 ? (o.totalResponse - previous.totalResponse) / toMajor(s.result, spent) : undefined,
      isScenario: asked.has(key),
    });
  }
  return curve;
}

/** Scenarios side by side per group, the groups with their customer counts, and the response curve. */
export function analyseScenarios(request: AllocationRequest, multipliers: readonly number[], options: { curvePoints?: number; curve?: boolean } = {}): ScenarioAnalysis {
  const scenarios = allocateScenarios(request, multipliers);
  const first = scenarios[0].result;
  const counts = new Map<string, number>();
  for (let i = 0; i < request.weights.length; i++) {
    const group = request.groups?.[i] ?? '';
    counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  return {
    method: first.method,
    minorDigits: first.minorDigits,
    unitMinor: first.unitMinor,
    baseBudget: request.budget,
    grouped: request.groups !== undefined,
    groups: [...scenarios[0].byGroup.keys()].map((group) => ({ group, customers: counts.get(group) ?? 0 })),
    scenarios,
    curve: options.curve === false ? [] : responseCurve(request, scenarios, multipliers, options.curvePoints ?? 11),
  };
}
