/**
 * Customer lifetime value, the closed forms (SPEC "Customer lifetime value"): simple (annual net
 * profit x expected lifespan) and retention-discounted.
 */
import { parameterError } from './errors';

/** Annual net profit given directly, or as revenue x margin - cost to serve. */
export function annualNetProfit(input: { profit?: number; revenue?: number; margin?: number; costToServe?: number }): number {
  if (input.profit !== undefined) return input.profit;
  if (input.revenue === undefined || input.margin === undefined) throw parameterError('annual profit', 'give the annual profit, or the annual revenue and the margin');
  return input.revenue * input.margin - (input.costToServe ?? 0);
}

/** CLV = annual net profit x expected lifespan in years. */
export function simpleClv(annualProfit: number, lifespanYears: number): number {
  if (!Number.isFinite(annualProfit)) throw parameterError('annual profit', `must be a number (got ${annualProfit})`);
  if (!Number.isFinite(lifespanYears) || lifespanYears < 0) throw parameterError('years', `must be 0 or more (got ${lifespanYears})`);
  return annualProfit * lifespanYears;
}

/**
 * CLV = sum over t = 0..T-1 of m r^t / (1+d)^t (margin received at the start of each year); with no
 * horizon the infinite sum m (1+d) / (1+d-r).
 */
export function retentionClv(marginPerYear: number, retention: number, discountRate: number, years?: number): number {
  if (!Number.isFinite(marginPerYear)) throw parameterError('margin', `must be a number (got ${marginPerYear})`);
  if (!(retention >= 0 && retention < 1)) throw parameterError('retention', `must be from 0 up to (not including) 1, e.g. 0.8 for 80 % (got ${retention})`);
  if (!(discountRate >= 0) || !Number.isFinite(discountRate)) throw parameterError('discount rate', `must be 0 or more, e.g. 0.1 for 10 % (got ${discountRate})`);
  if (years === undefined) return (marginPerYear * (1 + discountRate)) / (1 + discountRate - retention);
  if (!Number.isInteger(years) || years < 0) throw parameterError('years', `must be a whole number of years, 0 or more (got ${years})`);
  const ratio = retention / (1 + discountRate);
  // Geometric series m (1 - q^T) / (1 - q), q = r / (1+d) < 1.
  return (marginPerYear * (1 - ratio ** years)) / (1 - ratio);
}
