/** The engine's public API: pure functions from cells to numbers, shared by every host. */
export * from './errors';
export * from './dates';
export * from './money';
export * from './headers';
export * from './transactions';
export * from './quantile-scores';
export * from './segments';
export * from './rfm';
export * from './tiers';
export * from './clv-simple';
export * from './variance';
export * from './allocation/allocate';
export * from './allocation/budget';
export * from './allocation/phasing';
export * from './allocation/rounding';
export * from './plan';
export * as probabilisticClv from './clv';
export * from './allocation/scenarios';
