/**
 * The same allocation at several budgets (e.g. 90 %, 100 %, 110 %), side by side per group, with
 * the total expected response at each, and the response-versus-budget curve finance asks for: the
 * total expected response and the marginal return of the next currency unit at an even grid of
 * budgets (optimal method only; the other methods have no response model).
 *
 * Every number a sheet or a command shows is computed here; callers only convert minor units to
 * major units (toMajor) for display.
 */
import { InputError, InputErrorCode, parameterError, wrappedError } from '../errors';
import { allocateBudget, AllocationMethod, AllocationRequest, AllocationResult, toMajor } from './allocate';
import { boundsInUnits, splitBudget } from './budget';

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

/**
 * A scenario whose budget cannot be allocated (e.g. the floors add up to more than 80 % of the
 * budget leaves to distribute): what went wrong, so a sheet can say so beside the scenarios that
 * could be computed.
 */
export interface InfeasibleScenario {
  multiplier: number;
  /** The budget of this scenario in major units (base budget x multiplier). */
  budget: number;
  /** The engine's error code ('infeasible' for floors or segment limits the budget cannot meet). */
  code: InputErrorCode;
  /** The engine's message, naming what to change. */
  message: string;
  /**
   * Set when the floors alone need more than the scenario's distributable amount (the commonest
   * cause): both in minor units, so a sheet can say it in the user's language.
   */
  floors?: { floorsMinor: number; distributableMinor: number };
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
  /** The scenarios that could be allocated, in the order asked. */
  scenarios: Scenario[];
  /** The scenarios that could not be (only with `partial`; else the first one throws), in the order asked. */
  infeasible: InfeasibleScenario[];
  /** Every multiplier asked for, in the order given (feasible or not). */
  multipliers: number[];
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

/** The scenario at one multiplier; `named`: a failure's message names the scenario (off when the caller records it beside the scenario). */
function scenarioAt(request: AllocationRequest, multiplier: number, named = true): Scenario {
  const result = named ? allocateScenario(request, multiplier) : allocateBudget({ ...request, budget: request.budget * multiplier });
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

/** The floors' total against what a scenario has to distribute, when the floors alone exceed it. */
function floorShortfall(request: AllocationRequest, budget: number): InfeasibleScenario['floors'] {
  try {
    const split = splitBudget({ ...request, budget });
    const { lowerUnits } = boundsInUnits(request.weights.length, split, request.floor, request.cap, request.minorDigits ?? 2, request.firstRow ?? 1);
    let floorUnits = 0;
    for (let i = 0; i < lowerUnits.length; i++) floorUnits += lowerUnits[i];
    return floorUnits > split.distributableUnits ? { floorsMinor: floorUnits * split.unitMinor, distributableMinor: split.distributableMinor } : undefined;
  } catch {
    return undefined; // the bounds themselves are wrong: the engine's message says how
  }
}

/** A scenario that cannot be allocated, from the engine's error (anything but bad input is rethrown). */
function infeasibleAt(request: AllocationRequest, multiplier: number, error: unknown): InfeasibleScenario {
  if (!(error instanceof InputError)) throw error;
  const budget = request.budget * multiplier;
  const floors = error.code === 'infeasible' ? floorShortfall(request, budget) : undefined;
  return { multiplier, budget, code: error.code, message: error.message, ...(floors ? { floors } : {}) };
}

/**
 * The allocation at each multiplier of the budget, in the order given. With `partial`, a budget
 * that cannot be allocated is returned as an InfeasibleScenario instead of failing the others.
 */
export function allocateScenarios(request: AllocationRequest, multipliers: readonly number[]): Scenario[];
export function allocateScenarios(request: AllocationRequest, multipliers: readonly number[], options: { partial: true }): (Scenario | InfeasibleScenario)[];
export function allocateScenarios(request: AllocationRequest, multipliers: readonly number[], options: { partial?: boolean } = {}): (Scenario | InfeasibleScenario)[] {
  checkMultipliers(multipliers);
  if (!options.partial) return multipliers.map((multiplier) => scenarioAt(request, multiplier));
  return multipliers.map((multiplier) => {
    try {
      return scenarioAt(request, multiplier, false);
    } catch (error) {
      return infeasibleAt(request, multiplier, error);
    }
  });
}

export function isInfeasible(scenario: Scenario | InfeasibleScenario): scenario is InfeasibleScenario {
  return 'code' in scenario;
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

/** The scenario at a point of the curve, or undefined when that budget cannot be allocated. */
function feasibleAt(request: AllocationRequest, multiplier: number): Scenario | undefined {
  try {
    return scenarioAt(request, multiplier);
  } catch (error) {
    if (error instanceof InputError && error.code === 'infeasible') return undefined;
    throw error;
  }
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
    const s = given.get(key) ?? feasibleAt(request, multiplier);
    if (!s) continue; // a budget the floors or segment limits cannot meet: no point of the curve
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

/**
 * Scenarios side by side per group, the groups with their customer counts, and the response curve.
 * With `partial`, scenarios whose budget cannot be allocated are listed in `infeasible` and the
 * others are still computed; without it, the first such scenario throws (naming its budget).
 */
export function analyseScenarios(request: AllocationRequest, multipliers: readonly number[], options: { curvePoints?: number; curve?: boolean; partial?: boolean } = {}): ScenarioAnalysis {
  const outcomes = options.partial ? allocateScenarios(request, multipliers, { partial: true }) : allocateScenarios(request, multipliers);
  const scenarios = outcomes.filter((s): s is Scenario => !isInfeasible(s));
  const infeasible = outcomes.filter(isInfeasible);
  const counts = new Map<string, number>();
  for (const group of request.groups ?? []) if (!counts.has(group)) counts.set(group, 0);
  for (let i = 0; i < request.weights.length; i++) {
    const group = request.groups?.[i] ?? '';
    counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  // Without a feasible scenario the request itself says the method and units.
  const first = scenarios[0]?.result;
  const minorDigits = first?.minorDigits ?? request.minorDigits ?? 2;
  return {
    method: first?.method ?? request.method ?? 'proportional',
    minorDigits,
    unitMinor: first?.unitMinor ?? splitBudget({ ...request, minorDigits }).unitMinor,
    baseBudget: request.budget,
    grouped: request.groups !== undefined,
    groups: [...(scenarios[0]?.byGroup.keys() ?? counts.keys())].map((group) => ({ group, customers: counts.get(group) ?? 0 })),
    scenarios,
    infeasible,
    multipliers: [...multipliers],
    curve: options.curve === false || scenarios.length === 0 ? [] : responseCurve(request, scenarios, multipliers, options.curvePoints ?? 11),
  };
}
