/**
 * Special functions and the BFGS optimiser behind the probabilistic CLV. Reference values are
 * closed forms, or mpmath 1.3 at 40 significant digits (shown to 17) where there is none.
 */
import fc from 'fast-check';
import { digamma, gammaSign, hyp2f1, hyp2f1OneMinusZ, hyp2f1Series, logGamma, logSumExp, reciprocalGamma } from '../../src/engine/clv/special-functions';
import { minimiseBfgs } from '../../src/engine/clv/optimise';
import { expectedPurchasesIfAlive } from '../../src/engine/clv/bgnbd';

const relative = (value: number, target: number) => Math.abs(value / target - 1);

describe('logGamma, digamma, logSumExp', () => {
  it('match closed forms', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14); // Γ(1/2) = √π
    expect(relative(logGamma(10), Math.log(362880))).toBeLessThan(1e-14); // Γ(10) = 9!
    expect(logGamma(0.3)).toBeCloseTo(1.0957979948180756, 13); // mpmath loggamma(0.3)
    expect(logGamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 13); // |Γ(-1/2)| = 2√π
    expect(gammaSign(-0.5)).toBe(-1);
    expect(gammaSign(-1.5)).toBe(1);
    expect(reciprocalGamma(-2)).toBe(0);
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 14); // -Euler's constant
    expect(digamma(0.3)).toBeCloseTo(-3.5025242222001331, 13); // mpmath
    expect(digamma(25.5)).toBeCloseTo(3.2189424728839198, 14); // mpmath
    expect(logSumExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12); // no overflow
    expect(logSumExp(-Infinity, 3)).toBe(3);
  });

  it('digamma is the derivative of logGamma and satisfies psi(x + 1) = psi(x) + 1/x', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 500, noNaN: true }), (x) => {
        const h = 1e-5 * Math.max(1, x);
        const numeric = (logGamma(x + h) - logGamma(x - h)) / (2 * h);
        expect(Math.abs(digamma(x) - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
        expect(digamma(x + 1)).toBeCloseTo(digamma(x) + 1 / x, 9);
      }),
    );
  });
});

describe('hyp2f1', () => {
  it('matches closed forms inside and near the edge of the unit interval', () => {
    // 2F1(1, 1; 2; z) = -ln(1 - z) / z
    for (const z of [0.1, 0.5, 0.9, 0.95, 0.999, 0.999999]) expect(relative(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-10);
    // 2F1(a, b; b; z) = (1 - z)^-a
    expect(relative(hyp2f1(0.7, 2.5, 2.5, 0.97), Math.pow(0.03, -0.7))).toBeLessThan(1e-11);
    // 2F1(1/2, 1/2; 3/2; z^2) = arcsin(z) / z
    expect(relative(hyp2f1(0.5, 0.5, 1.5, 0.98 * 0.98), Math.asin(0.98) / 0.98)).toBeLessThan(1e-11);
    // Pfaff for z < 0: 2F1(1/2, 1/2; 3/2; -3) = asinh(√3) / √3 (from arcsin(iz) = i asinh z)
    expect(relative(hyp2f1(0.5, 0.5, 1.5, -3), Math.asinh(Math.sqrt(3)) / Math.sqrt(3))).toBeLessThan(1e-13);
    // a polynomial: 2F1(-2, 3; 1.5; z) = 1 - 4z + 3.2z^2 (terms (-2)(3)/1.5 z and (-2)(-1)(3)(4)/(1.5 x 2.5 x 2) z^2)
    expect(hyp2f1(-2, 3, 1.5, 0.99)).toBeCloseTo(1 - 4 * 0.99 + 3.2 * 0.99 * 0.99, 13);
  });

  it('matches mpmath where no closed form exists, including the 1 - z transformation and its integer cases', () => {
    const cases: [number, number, number, number, number][] = [
      [0.243, 2.426, 2.219, 0.3, 1.100518533085473],
      [0.243, 2.426, 2.219, 0.97, 2.9195238580547473],
      [-0.5, -0.2, 1.3, 0.99, 1.0862160628372299],
      [2.5, 3.1, 1.2, 0.95, 1628222.8779556535],
      [2.5, 1.5, 0.5, 0.95, 171730.02067198331],
      [1.5, 2.5, 4.0, 0.97, 9.7847348610851569], // c - a - b = 0: interpolated across the singular case
      [0.3, 0.2, 0.5, 0.999, 1.8771911823323644], // c - a - b = 0
      [0.5, 0.5, 1.0, 0.99, 2.3527158167797423], // c - a - b = 0 (the complete elliptic integral K)
      [1.5, 0.5, 2.0000001, 0.93, 2.2835503021430019], // c - a - b = 1e-7
      [10, 12, 25, 0.92, 2605.261655995598],
      [0.7, -0.3, 1.9, 0.5, 0.93754679704476579],
      [0.3, 0.4, 1.5, 0.999999, 1.181180413175563],
    ];
    for (const [a, b, c, z, expected] of cases) expect(relative(hyp2f1(a, b, c, z), expected)).toBeLessThan(2e-10);
  });

  it('the series and the 1 - z transformation agree where both converge', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.9, max: 3, noNaN: true }),
        fc.double({ min: -0.9, max: 3, noNaN: true }),
        fc.double({ min: 0.2, max: 6, noNaN: true }),
        fc.double({ min: 0.905, max: 0.97, noNaN: true }),
        (a, b, c, z) => {
          const series = hyp2f1Series(a, b, c, z);
          const transformed = hyp2f1OneMinusZ(a, b, c, z);
          expect(Math.abs(transformed - series)).toBeLessThan(1e-8 * Math.max(1, Math.abs(series)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('satisfies Euler\'s transformation 2F1(a, b; c; z) = (1 - z)^(c - a - b) 2F1(c - a, c - b; c; z)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 4, noNaN: true }),
        fc.double({ min: 0.05, max: 4, noNaN: true }),
        fc.double({ min: 0.1, max: 8, noNaN: true }),
        fc.double({ min: 0, max: 0.995, noNaN: true }),
        (a, b, c, z) => {
          const left = hyp2f1(a, b, c, z);
          const right = Math.pow(1 - z, c - a - b) * hyp2f1(c - a, c - b, c, z);
          expect(Math.abs(left - right)).toBeLessThan(1e-8 * Math.max(1, Math.abs(left)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses z >= 1 and a pole in c', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(/pole/);
    expect(hyp2f1(-1, 1, -2, 0.5)).toBeCloseTo(1 + (-1 * 1 * 0.5) / -2, 14); // terminates before the pole: 1.25
  });
});

describe('minimiseBfgs', () => {
  it('finds the minimum of the Rosenbrock function (1, 1) from (-1.2, 1)', () => {
    const rosenbrock = (x: Float64Array, g: Float64Array) => {
      g[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]);
      g[1] = 200 * (x[1] - x[0] * x[0]);
      return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] * x[0]) ** 2;
    };
    const result = minimiseBfgs(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.reason).toBe('gradient');
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
    expect(result.iterations).toBeLessThan(100);
  });

  it('minimises random convex quadratics exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.1, max: 100, noNaN: true }), { minLength: 4, maxLength: 4 }), fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 4, maxLength: 4 }), (scales, centre) => {
        // f = sum scales_i (x_i - centre_i)^2 + (x_0 - x_1)^2 couples two coordinates
        const f = (x: Float64Array, g: Float64Array) => {
          let v = (x[0] - x[1]) ** 2;
          for (let i = 0; i < 4; i++) {
            v += scales[i] * (x[i] - centre[i]) ** 2;
            g[i] = 2 * scales[i] * (x[i] - centre[i]);
          }
          g[0] += 2 * (x[0] - x[1]);
          g[1] -= 2 * (x[0] - x[1]);
          return v;
        };
        const result = minimiseBfgs(f, [0, 0, 0, 0], { maxStep: 100 });
        expect(result.converged).toBe(true);
        // The exact minimum: x2, x3 at their centres; x0, x1 from the 2 x 2 system of the coupled pair.
        const [s0, s1] = scales;
        const det = s0 * s1 + s0 + s1;
        const exact = Float64Array.from([((s1 + 1) * s0 * centre[0] + s1 * centre[1]) / det, (s0 * centre[0] + (s0 + 1) * s1 * centre[1]) / det, centre[2], centre[3]]);
        const g = new Float64Array(4);
        const best = f(exact, g);
        // Converged means the objective is at its minimum to rounding (it may stop once no lower value is
        // representable: a gradient of 1e-6 then still moves f by only 1e-13), and x within 1e-5 of it.
        expect(result.value - best).toBeLessThanOrEqual(1e-12 * Math.max(1, best));
        result.x.forEach((x, i) => expect(Math.abs(x - exact[i])).toBeLessThan(1e-5));
      }),
      { numRuns: 100 },
    );
  });

  it('backs off from regions where the objective overflows, and reports a non-finite start', () => {
    // f = exp(x) - 2x has its minimum at ln 2; a long first step lands where exp overflows.
    const f = (x: Float64Array, g: Float64Array) => {
      g[0] = Math.exp(x[0]) - 2;
      return Math.exp(x[0]) - 2 * x[0];
    };
    const result = minimiseBfgs(f, [-50], { maxStep: 1e6 });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(Math.log(2), 8);
    const nonFinite = minimiseBfgs((_x, g) => ((g[0] = 0), NaN), [0]);
    expect(nonFinite).toMatchObject({ converged: false, reason: 'non-finite-start' });
  });
});

describe('expected purchases when the dropout probability is nearly certain (large a and b)', () => {
  /**
   * The a, b -> infinity limit with p = a / (a + b) fixed: a customer alive now makes purchases at a
   * rate with the posterior Gamma(r + x, alpha + T) and drops out after each with probability p, so
   * E = sum_n>=1 (1 - p)^(n - 1) P(N >= n), N negative binomial(r + x, z = t / (alpha + T + t)).
   */
  function fixedDropoutLimit(r: number, alpha: number, p: number, t: number, x: number, age: number): number {
    const shape = r + x;
    const z = t / (alpha + age + t);
    let pmf = Math.exp(shape * Math.log1p(-z));
    let cdf = 0;
    let sum = 0;
    let survive = 1;
    for (let n = 1; survive > 1e-18; n++) {
      cdf += pmf;
      sum += survive * (1 - cdf);
      survive *= 1 - p;
      pmf *= ((shape + n - 1) / n) * z;
    }
    return sum;
  }

  it('stays finite for a of 1,000 and more (it was NaN there) and tends to the fixed-dropout limit', () => {
    const cases: [number, number, number][] = [[365, 8, 302], [365, 0, 100], [30, 20, 600]];
    for (const [t, x, age] of cases) {
      const limit = fixedDropoutLimit(0.5, 10, 1 / 39.4, t, x, age);
      const errors = [1e3, 1e4, 1e5, 3.96e5].map((a) => {
        const value = expectedPurchasesIfAlive({ r: 0.5, alpha: 10, a, b: a * 38.4 }, t, x, age);
        expect(Number.isFinite(value)).toBe(true);
        return Math.abs(value / limit - 1);
      });
      // The gap to the limit shrinks like 1 / a.
      expect(errors[3]).toBeLessThan(1e-6);
      expect(errors[0]).toBeGreaterThan(errors[2]);
    }
  });
});

describe('expected purchases with few dropouts (large b) over a horizon long beside alpha + T', () => {
  it('matches the integral over the dropout probability, computed with mpmath 1.3 at 40 digits', () => {
    // The series forms were 43 % to 5e128x off here (e.g. 3.99 for 2.797, 7.7e14 for 14.66).
    const cases: [number, number, number, number, number, number, number, number][] = [
      // a, b, r, alpha, x, T, t, mpmath
      [50, 3000, 2, 1, 3, 5, 100, 42.9992107349763],
      [50, 500, 0.25, 14.5, 0, 0.5, 365, 2.79714177047608],
      [3, 30000, 2, 0.5, 3, 0.5, 5000, 10007.8777123978],
      [50, 3000, 2, 10, 40, 5, 5000, 63.0408163265306],
      [3, 3000, 0.25, 1, 0, 5, 365, 14.6631508062723],
    ];
    for (const [a, b, r, alpha, x, age, t, expected] of cases) {
      expect(relative(expectedPurchasesIfAlive({ r, alpha, a, b }, t, x, age), expected)).toBeLessThan(1e-9);
    }
  });
});
