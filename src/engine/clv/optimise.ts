/**
 * Nelder-Mead minimisation, restarted from its own best point until it stops improving: robust
 * for the few log-parameters of the CLV models, and needs no gradient.
 */

export interface MinimiseResult {
  x: number[];
  value: number;
  evaluations: number;
  converged: boolean;
}

export function nelderMead(f: (x: number[]) => number, start: number[], options: { tolerance?: number; maxEvaluations?: number; step?: number } = {}): MinimiseResult {
  const tolerance = options.tolerance ?? 1e-10;
  const maxEvaluations = options.maxEvaluations ?? 20_000;
  const n = start.length;
  let evaluations = 0;
  const evaluate = (x: number[]) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let best = { x: start.slice(), value: evaluate(start) };
  let converged = false;
  for (let restart = 0; restart < 5 && evaluations < maxEvaluations; restart++) {
    const simplex = [best.x.slice()];
    for (let i = 0; i < n; i++) {
      const vertex = best.x.slice();
      vertex[i] += options.step ?? 0.5;
      simplex.push(vertex);
    }
    let values = simplex.map(evaluate);
    while (evaluations < maxEvaluations) {
      const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
      const sorted = order.map((i) => simplex[i]);
      values = order.map((i) => values[i]);
      simplex.splice(0, simplex.length, ...sorted);
      if (Math.abs(values[n] - values[0]) <= tolerance * (Math.abs(values[0]) + tolerance)) break;
      const centroid = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i][j] / n;
      const towards = (coefficient: number) => centroid.map((c, j) => c + coefficient * (simplex[n][j] - c));
      const reflected = towards(-1);
      const fr = evaluate(reflected);
      if (fr < values[0]) {
        const expanded = towards(-2);
        const fe = evaluate(expanded);
        [simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
      } else if (fr < values[n - 1]) {
        [simplex[n], values[n]] = [reflected, fr];
      } else {
        const contracted = fr < values[n] ? towards(-0.5) : towards(0.5);
        const fc = evaluate(contracted);
        if (fc < Math.min(fr, values[n])) [simplex[n], values[n]] = [contracted, fc];
        else {
          for (let i = 1; i <= n; i++) {
            simplex[i] = simplex[i].map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j]));
            values[i] = evaluate(simplex[i]);
          }
        }
      }
    }
    const improved = values[0] < best.value - tolerance * (Math.abs(best.value) + 1);
    best = { x: simplex[0], value: Math.min(values[0], best.value) === values[0] ? values[0] : best.value };
    if (!improved && restart > 0) {
      converged = true;
      break;
    }
  }
  return { x: best.x, value: best.value, evaluations, converged };
}
