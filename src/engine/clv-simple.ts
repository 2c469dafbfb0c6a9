/**
 * Customer lifetime value, the closed forms (SPEC "Customer lifetime value"): simple (annual net
 * profit x expected lifespan) and retention-discounted.
 */
import { parameterError } from './errors';

/** Annual net profit given directly, or as revenue x margin - cost to serve. */
export function annualNetProfit(input: { profit?: number; revenue?: number; margin?: number; costToServe?: number }): number {
  if (input.profit !== undefined) return input.profit;
  if (input.revenue === undefined || input.margin === undefined) throw parameterError('annual profit', 'clv.profitNeeded');
  return input.revenue * input.margin - (input.costToServe ?? 0);
}

/** CLV = annual net profit x expected lifespan in years. */
export function simpleClv(annualProfit: number, lifespanYears: number): number {
  if (!Number.isFinite(annualProfit)) throw parameterError('annual profit', 'clv.notANumber', { value: annualProfit });
  if (!Number.isFinite(lifespanYears) || lifespanYears < 0) throw parameterError('years', 'clv.years', { value: lifespanYears });
  return annualProfit * lifespanYears;
}

/**
 * CLV = sum over t = 0..T-1 of m r^t / (1+d)^t (margin received at the start of each year); with no
 * horizon the infinite sum m (1+d) / (1+d-r).
 */
export function retentionClv(marginPerYear: number, retention: number, discountRate: number, years?: number): number {
  if (!Number.isFinite(marginPerYear)) throw parameterError('margin', 'clv.notANumber', { value: marginPerYear });
  if (!(retention >= 0 && retention < 1)) throw parameterError('retention', 'clv.retention', { value: retention });
  if (!(discountRate >= 0) || !Number.isFinite(discountRate)) throw parameterError('discount rate', 'clv.discountRate', { value: discountRate });
  if (years === undefined) return (marginPerYear * (1 + discountRate)) / (1 + discountRate - retention);
  if (!Number.isInteger(years) || years < 0) throw parameterError('years', 'clv.wholeYears', { value: years });
  const ratio = retention / (1 + discountRate);
  // Geometric series m (1 - q^T) / (1 - q), q = r / (1+d) < 1.
  return (marginPerYear * (1 - ratio ** years)) / (1 - ratio);
}
