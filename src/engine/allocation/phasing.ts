/**
 * Splitting each allocated amount over periods (months, quarters, a custom list) or activities by
 * a profile, so that every row still adds up exactly (SPEC "Phasing", "Activity split").
 */
import { parameterError } from '../errors';
import type { EpochDays } from '../dates';
import { elapsedShare } from '../variance';
import { roundLargestRemainder } from './rounding';

export interface Profile {
  /** Period or activity names, e.g. 2026-01 ... 2026-12, or visits, events, gifts. */
  names: readonly string[];
  /** Relative weights (any scale; equal when omitted). */
  weights: readonly number[];
}

/** Checks a profile: names unique, weights >= 0 and not all 0; normalises weights to sum to 1. */
export function normaliseProfile(profile: Profile, what = 'profile'): Profile {
  const { names, weights } = profile;
  if (names.length === 0) throw parameterError(what, 'profile.empty');
  if (weights.length !== names.length) throw parameterError(what, 'profile.length', { names: names.length, weights: weights.length });
  if (new Set(names).size !== names.length) throw parameterError(what, 'profile.duplicateNames', { list: names.join(', ') });
  if (weights.some((w) => !Number.isFinite(w) || w < 0)) throw parameterError(what, 'profile.negativeWeights', { list: weights.join(', ') });
  const total = weights.reduce((s, w) => s + w, 0);
  if (total <= 0) throw parameterError(what, 'profile.zeroWeights');
  return { names, weights: weights.map((w) => w / total) };
}

export function equalProfile(names: readonly string[]): Profile {
  return { names, weights: names.map(() => 1 / names.length) };
}

/** 2026-01 ... 2026-12 */
export function monthNames(year: number): string[] {
  return Array.from({ length: 12 }, (_, m) => `${year}-${String(m + 1).padStart(2, '0')}`);
}

/** 2026-Q1 ... 2026-Q4 */
export function quarterNames(year: number): string[] {
  return [1, 2, 3, 4].map((q) => `${year}-Q${q}`);
}

/**
 * Splits one amount (whole minor units) by a normalised profile: largest remainder, ties to the
 * earlier period, so the parts are whole minor units adding up to the amount exactly.
 */
export function splitAmount(amountMinor: number, profile: Profile): Float64Array {
  const k = profile.weights.length;
  const sign = amountMinor < 0 ? -1 : 1;
  const magnitude = Math.abs(amountMinor);
  const parts = roundLargestRemainder({
    amounts: Float64Array.from(profile.weights, (w) => w * magnitude),
    lower: new Float64Array(k),
    upper: new Float64Array(k).fill(Infinity),
    total: magnitude,
    weights: new Float64Array(k), // all ties go to the earlier period
  });
  if (sign < 0) for (let j = 0; j < k; j++) parts[j] = -parts[j];
  return parts;
}

/** Splits every row's amount: result[row][part]. */
export function splitAmounts(amountsMinor: ArrayLike<number>, profile: Profile): Float64Array[] {
  const normalised = normaliseProfile(profile);
  return Array.from({ length: amountsMinor.length }, (_, i) => splitAmount(amountsMinor[i], normalised));
}

/**
 * Activity split with a global profile, or one profile per group (segment) where given; every
 * profile must use the same activity names so the plan has one set of columns.
 */
export function splitByGroupProfiles(
  amountsMinor: ArrayLike<number>,
  groups: readonly string[] | undefined,
  globalProfile: Profile,
  groupProfiles: Readonly<Record<string, Profile>> = {},
): Float64Array[] {
  const base = normaliseProfile(globalProfile, 'activity split');
  const byGroup = new Map<string, Profile>();
  for (const [group, profile] of Object.entries(groupProfiles)) {
    const normalised = normaliseProfile(profile, `activity split for ${group}`);
    if (normalised.names.join('\u0000') !== base.names.join('\u0000')) {
      throw parameterError(`activity split for ${group}`, 'profile.activitiesDiffer', { list: base.names.join(', ') });
    }
    byGroup.set(group, normalised);
  }
  return Array.from({ length: amountsMinor.length }, (_, i) => splitAmount(amountsMinor[i], (groups && byGroup.get(groups[i])) || base));
}

/** A period profile cut at a day: the part of each period's weight up to it, and the part after. */
export interface ElapsedProfiles {
  names: readonly string[];
  elapsed: Profile;
  remaining: Profile;
}

/**
 * Splits a period profile at a day (a re-plan date): the weight of each period before it, the part
 * of the period it falls in, and the weight after. When either side is empty (the day before the
 * first period or after the last), that side is the whole profile.
 */
export function elapsedProfiles(profile: Profile, ranges: readonly (readonly [EpochDays, EpochDays])[], day: EpochDays): ElapsedProfiles {
  const shares = ranges.map(([start, end]) => elapsedShare(start, end, day));
  const elapsed = profile.weights.map((w, k) => w * shares[k]);
  const remaining = profile.weights.map((w, k) => w * (1 - shares[k]));
  const side = (weights: number[]): Profile => (weights.some((w) => w > 0) ? normaliseProfile({ names: profile.names, weights }) : profile);
  return { names: profile.names, elapsed: side(elapsed), remaining: side(remaining) };
}

/**
 * A re-planned amount over periods: what is already spent over the periods up to the re-plan day,
 * the rest over the periods after it; whole minor units adding up to the amount exactly.
 */
export function splitAroundDay(amountMinor: number, spentMinor: number, profiles: ElapsedProfiles): Float64Array {
  const spentParts = splitAmount(spentMinor, profiles.elapsed);
  const restParts = splitAmount(amountMinor - spentMinor, profiles.remaining);
  for (let k = 0; k < spentParts.length; k++) spentParts[k] += restParts[k];
  return spentParts;
}
