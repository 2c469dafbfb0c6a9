/**
 * Unconstrained minimisation for the CLV models' few log-parameters: BFGS (Nocedal and Wright,
 * "Numerical Optimization", 2nd ed., algorithm 6.1) with a line search that meets the strong Wolfe
 * conditions (algorithms 3.5 and 3.6, cubic interpolation). The objective returns its value and
 * fills in its gradient; a non-finite value counts as +Infinity, so the line search backs off from
 * regions where the model overflows.
 */
// Local aliases: global lookups (Math.*) are slow in vm contexts such as Jest's sandbox.
const { abs, max, min, sign, sqrt } = Math;


/** Value at `x`, with the gradient written into `gradient` (same length as x). */
export type ObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => number;

export interface MinimiseOptions {
  /** Converged when every gradient component is at most this in absolute value. Default 1e-8. */
  gradientTolerance?: number;
  /** Default 200. */
  maxIterations?: number;
  /** Largest step (Euclidean norm) in one line search, to keep exp(log-parameter) finite. Default 5. */
  maxStep?: number;
}

export type StopReason = 'gradient' | 'no-progress' | 'max-iterations' | 'line-search-failed' | 'non-finite-start';

export interface MinimiseResult {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  iterations: number;
  evaluations: number;
  /** True when the gradient test passed (or no progress was possible with an already small gradient). */
  converged: boolean;
  reason: StopReason;
}

const WOLFE_SUFFICIENT_DECREASE = 1e-4; // c1
const WOLFE_CURVATURE = 0.9; // c2, the usual choice for quasi-Newton methods
/** With no further decrease possible, a gradient this small still counts as converged. */
const FLAT_GRADIENT = 1e-5;
/**
 * A relative decrease this small is at the objective's rounding noise (sums of many log-gamma
 * terms carry about 1e-13 of relative error), so further steps cannot be trusted.
 */
const NOISE_DECREASE = 1e-13;
/** Line-search evaluations before giving up on a direction. */
const MAX_LINE_SEARCH_STEPS = 15;

function dot(u: Float64Array, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = max(m, abs(v[i]));
  return m;
}

/** An evaluation point along the search line x + step d. */
interface LinePoint {
  step: number;
  value: number;
  slope: number; // directional derivative g(x + step d) . d
  x: Float64Array;
  gradient: Float64Array;
}

/** Minimiser of the cubic through two points with their slopes, kept inside the bracket [lo, hi]. */
function cubicStep(a: LinePoint, b: LinePoint): number {
  const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.step - b.step);
  const radicand = d1 * d1 - a.slope * b.slope;
  const lo = min(a.step, b.step);
  const hi = max(a.step, b.step);
  if (radicand >= 0 && Number.isFinite(radicand)) {
    const d2 = sign(b.step - a.step) * sqrt(radicand);
    const next = b.step - (b.step - a.step) * ((b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2));
    // Safeguard: stay clear of the bracket's ends so the bracket keeps shrinking.
    const margin = 0.1 * (hi - lo);
    if (Number.isFinite(next) && next > lo + margin && next < hi - margin) return next;
  }
  return 0.5 * (lo + hi);
}

function evaluateAt(f: ObjectiveWithGradient, x: Float64Array, direction: Float64Array, step: number): LinePoint {
  const point = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) point[i] = x[i] + step * direction[i];
  const gradient = new Float64Array(x.length);
  const raw = f(point, gradient);
  const finite = Number.isFinite(raw) && gradient.every(Number.isFinite);
  return { step, value: finite ? raw : Infinity, slope: finite ? dot(gradient, direction) : NaN, x: point, gradient };
}

/**
 * A step satisfying the strong Wolfe conditions along `direction` from `start`, or undefined when
 * none is found in MAX_LINE_SEARCH_STEPS evaluations. Counts evaluations in `counter`.
 */
function strongWolfeSearch(f: ObjectiveWithGradient, start: LinePoint, direction: Float64Array, firstStep: number, counter: { evaluations: number }): LinePoint | undefined {
  const sufficient = (p: LinePoint) => p.value <= start.value + WOLFE_SUFFICIENT_DECREASE * p.step * start.slope;
  const curvature = (p: LinePoint) => abs(p.slope) <= -WOLFE_CURVATURE * start.slope;
  let previous = start;
  let step = firstStep;
  for (let k = 0; k < MAX_LINE_SEARCH_STEPS; k++) {
    const current = evaluateAt(f, start.x, direction, step);
    counter.evaluations++;
    if (!Number.isFinite(current.value)) {
      step = 0.5 * (previous.step + step); // overflow: come back towards the last finite point
      continue;
    }
    if (!sufficient(current) || (k > 0 && current.value >= previous.value)) return zoom(f, start, previous, current, direction, counter);
    if (curvature(current)) return current;
    if (current.slope >= 0) return zoom(f, start, current, previous, direction, counter);
    previous = current;
    step *= 2;
  }
  return undefined;
}

/** Algorithm 3.6: shrinks the bracket [lo, hi] (lo the better end) until a strong Wolfe point. */
function zoom(f: ObjectiveWithGradient, start: LinePoint, lo: LinePoint, hi: LinePoint, direction: Float64Array, counter: { evaluations: number }): LinePoint | undefined {
  for (let k = 0; k < MAX_LINE_SEARCH_STEPS; k++) {
    const step = Number.isFinite(hi.value) && Number.isFinite(hi.slope) ? cubicStep(lo, hi) : 0.5 * (lo.step + hi.step);
    const trial = evaluateAt(f, start.x, direction, step);
    counter.evaluations++;
    if (!Number.isFinite(trial.value) || trial.value > start.value + WOLFE_SUFFICIENT_DECREASE * step * start.slope || trial.value >= lo.value) {
      hi = trial;
    } else {
      if (abs(trial.slope) <= -WOLFE_CURVATURE * start.slope) return trial;
      if (trial.slope * (hi.step - lo.step) >= 0) hi = lo;
      lo = trial;
    }
    if (abs(hi.step - lo.step) < 1e-14 * max(1, abs(lo.step))) break;
  }
  // No strong Wolfe point in the bracket: accept the best decrease found, if any.
  return lo.step !== 0 && lo.value < start.value ? lo : undefined;
}

/** BFGS on the inverse Hessian, restarted from the identity when an update or line search fails. */
export function minimiseBfgs(f: ObjectiveWithGradient, start: ArrayLike<number>, options: MinimiseOptions = {}): MinimiseResult {
  const gradientTolerance = options.gradientTolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 200;
  const maxStep = options.maxStep ?? 5;
  const n = start.length;
  const counter = { evaluations: 1 };
  const x0 = Float64Array.from(start);
  const g0 = new Float64Array(n);
  const v0 = f(x0, g0);
  let point: LinePoint = { step: 0, value: v0, slope: 0, x: x0, gradient: g0 };
  const result = (iterations: number, converged: boolean, reason: StopReason): MinimiseResult => ({
    x: point.x,
    value: point.value,
    gradient: point.gradient,
    iterations,
    evaluations: counter.evaluations,
    converged,
    reason,
  });
  if (!Number.isFinite(v0) || !g0.every(Number.isFinite)) return result(0, false, 'non-finite-start');
  const inverseHessian = identity(n);
  let freshHessian = true;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(point.gradient) <= gradientTolerance) return result(iteration, true, 'gradient');
    const direction = times(inverseHessian, point.gradient, -1);
    let slope = dot(direction, point.gradient);
    if (!(slope < 0)) {
      resetToIdentity(inverseHessian);
      freshHessian = true;
      for (let i = 0; i < n; i++) direction[i] = -point.gradient[i];
      slope = dot(direction, point.gradient);
    }
    const length = sqrt(dot(direction, direction));
    const firstStep = min(1, maxStep / length);
    const next = strongWolfeSearch(f, { ...point, step: 0, slope }, direction, firstStep, counter);
    if (next === undefined || !(next.value <= point.value)) {
      // With a small gradient this is the objective's rounding noise, not a failure: stop.
      if (maxAbs(point.gradient) <= FLAT_GRADIENT) return result(iteration, true, 'no-progress');
      if (!freshHessian) {
        resetToIdentity(inverseHessian); // a stale curvature model: retry along the steepest descent
        freshHessian = true;
        continue;
      }
      return result(iteration, false, 'line-search-failed');
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = next.x[i] - point.x[i];
      y[i] = next.gradient[i] - point.gradient[i];
    }
    const decrease = point.value - next.value;
    point = next;
    const sy = dot(s, y);
    if (sy > 1e-12 * sqrt(dot(s, s) * dot(y, y))) {
      if (freshHessian) scaleIdentity(inverseHessian, sy / dot(y, y)); // N&W (6.20): a first guess of the curvature's scale
      updateInverseHessian(inverseHessian, s, y, sy);
      freshHessian = false;
    }
    if (decrease <= NOISE_DECREASE * abs(point.value) && maxAbs(point.gradient) <= FLAT_GRADIENT) {
      const small = maxAbs(point.gradient) <= gradientTolerance;
      return result(iteration + 1, true, small ? 'gradient' : 'no-progress');
    }
  }
  return result(maxIterations, maxAbs(point.gradient) <= gradientTolerance, maxAbs(point.gradient) <= gradientTolerance ? 'gradient' : 'max-iterations');
}

/** Two runs' objective values equal up to rounding: they found the same optimum. */
export function sameOptimum(value: number, other: number): boolean {
  return abs(value - other) <= 1e-10 * max(1, abs(other));
}

function identity(n: number): Float64Array[] {
  return Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function resetToIdentity(h: Float64Array[]): void {
  for (let i = 0; i < h.length; i++) for (let j = 0; j < h.length; j++) h[i][j] = i === j ? 1 : 0;
}

function scaleIdentity(h: Float64Array[], scale: number): void {
  for (let i = 0; i < h.length; i++) for (let j = 0; j < h.length; j++) h[i][j] = i === j ? scale : 0;
}

function times(h: Float64Array[], v: Float64Array, factor: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = factor * dot(h[i], v);
  return out;
}

/** H <- (I - rho s y') H (I - rho y s') + rho s s', rho = 1 / (y's) (N&W 6.17). */
function updateInverseHessian(h: Float64Array[], s: Float64Array, y: Float64Array, sy: number): void {
  const n = s.length;
  const rho = 1 / sy;
  const hy = times(h, y, 1);
  const yhy = dot(y, hy);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
    }
  }
}
