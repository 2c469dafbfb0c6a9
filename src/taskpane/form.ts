/**
 * The task pane's form state and its validation, as plain functions (no React): text fields in,
 * either per-field messages or the engine options out. Components only display what this returns.
 */
import { formatIsoDate, readDate } from '../engine/dates';
import { readNumber } from '../engine/money';
import type { PlanOptions, PeriodKind } from '../engine/plan';
import type { SegmentScheme } from '../engine/rfm';
import type { EpochDays } from '../engine/dates';
import { DEFAULT_ACTIVITIES } from '../engine/plan';
import type { ResponseCurve } from '../engine/allocation/allocate';
import { DEFAULT_PLAN_CLV_MONTHS } from '../engine/clv/plan-clv';
import {
  parseSegmentLimitText,
  SegmentLimitError,
  segmentShareLimits,
  SegmentShareLimits,
} from '../engine/allocation/segment-limits';
import type { RunSettings, SourceRef } from '../runs';
import { Locale, t } from '../i18n';

export const SELECTION_SOURCE = 'selection';
export const ACTIVITY_NAMES = DEFAULT_ACTIVITIES.names;

/** What each customer's weight (the optimal method: its value at stake) is, in the order the pane lists them. */
export const WEIGHT_BASIS_CHOICES = ['score', 'monetary', 'equal', 'clv'] as const;
export type WeightBasisChoice = (typeof WEIGHT_BASIS_CHOICES)[number];
/** Horizon of the "Customer lifetime value" weight basis (BG/NBD + Gamma-Gamma), in months. */
export const CLV_MONTHS = DEFAULT_PLAN_CLV_MONTHS;

export interface PlanForm {
  /** 'selection' or 'table:<name>'. */
  source: string;
  /** Re-planning: '' for a new plan, or 'table:<name>' of actual spend to date. */
  spent: string;
  budget: string;
  reservePercent: string;
  unit: string;
  method: 'proportional' | 'equal' | 'optimal';
  /**
   * The weight basis the user chose; undefined until they choose one, and then the method's default
   * (see weightBasisOf): the customer lifetime value for the optimal method, the RFM score otherwise.
   */
  weightBasis?: WeightBasisChoice;
  floor: string;
  cap: string;
  rfmWeights: [string, string, string];
  bins: string;
  scheme: 'rfm10' | 'rfm8';
  periods: PeriodKind;
  year: string;
  /** Percent per activity of ACTIVITY_NAMES, in the same order. */
  activityPercents: string[];
  asOf: string;
  /** optimal: saturation spend per customer (the spend at which the response reaches about 63 % of its value). */
  saturation: string;
  /** optimal: response curve. */
  response: ResponseCurve;
  /** optimal: segment share limits as text, e.g. "Lost<=5%; Champions>=20%" (blank: none). */
  segmentLimits: string;
  /** Budget scenarios as percentages of the budget, e.g. "90, 100, 110" ('' for none). */
  scenarios: string;
}

export type PlanField =
  Exclude<keyof PlanForm, 'rfmWeights' | 'activityPercents'> | 'rfmWeights' | 'activities';

export const DEFAULT_PLAN_FORM: PlanForm = {
  source: SELECTION_SOURCE,
  spent: '',
  budget: '',
  reservePercent: '5',
  unit: '1',
  method: 'proportional',
  floor: '',
  cap: '',
  rfmWeights: ['1', '1', '1'],
  bins: '5',
  scheme: 'rfm10',
  periods: 'months',
  year: '',
  activityPercents: ['30', '20', '15', '25', '10'],
  asOf: '',
  saturation: '',
  response: 'exp',
  segmentLimits: '',
  scenarios: '',
};

export interface VarianceForm {
  planSheet: string;
  /** 'selection' or 'table:<name>'. */
  actuals: string;
  asOf: string;
  by: 'customer' | 'activity';
  overPercent: string;
  warnPercent: string;
  underPercent: string;
}

export type VarianceField = keyof VarianceForm;

export const DEFAULT_VARIANCE_FORM: VarianceForm = {
  planSheet: '',
  actuals: SELECTION_SOURCE,
  asOf: '',
  by: 'customer',
  overPercent: '0',
  warnPercent: '10',
  underPercent: '50',
};

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export interface Validated<F extends string, T> {
  errors: FieldErrors<F>;
  /** Present only when there are no errors. */
  value?: T;
}

const FORM_METHODS: readonly PlanForm['method'][] = ['proportional', 'equal', 'optimal'];

/** A share as the percent text the pane shows (0.05 -> "5"). */
function percentFieldText(share: number): string {
  return String(Math.round(share * 10_000) / 100);
}

/** A source as the form's choice; only tables can be chosen again (a selection is whatever is selected now). */
function choiceOf(source: SourceRef | undefined): string | undefined {
  return source?.kind === 'table' ? tableChoice(source.name) : source?.kind === 'selection' ? SELECTION_SOURCE : undefined;
}

/** Segment share limits back as the text the pane parses: "Lost<=5%; Champions>=20%". */
export function segmentLimitText(min: Readonly<Record<string, number>> = {}, max: Readonly<Record<string, number>> = {}): string {
  return [
    ...Object.entries(max).map(([segment, share]) => `${segment}<=${percentFieldText(share)}%`),
    ...Object.entries(min).map(([segment, share]) => `${segment}>=${percentFieldText(share)}%`),
  ].join('; ');
}

/**
 * The plan form with every setting the last plan in this document was run with (source, budget,
 * reserve, unit, floor, cap, method and its parameters, weights, scoring, phasing, activities,
 * as-of date, scenarios, spend to date); a setting the last run did not set keeps the form's value.
 */
export function planFormFromSettings(settings: RunSettings['plan'] | undefined, form: PlanForm = DEFAULT_PLAN_FORM): PlanForm {
  if (!settings) return form;
  const o = settings.options;
  const method = FORM_METHODS.find((m) => m === o.method);
  const basis = WEIGHT_BASIS_CHOICES.find((b) => b === o.weightBasis);
  const text = (value: number | undefined, current: string) => (value === undefined ? current : String(value));
  const activityPercents =
    o.activities && o.activities.names.length === ACTIVITY_NAMES.length && o.activities.names.every((name, k) => name === ACTIVITY_NAMES[k])
      ? o.activities.weights.map(percentFieldText)
      : form.activityPercents;
  return {
    ...form,
    source: choiceOf(settings.source) ?? form.source,
    spent: settings.spent ? (choiceOf(settings.spent) ?? form.spent) : '',
    budget: String(o.budget),
    reservePercent: o.reserve === undefined ? form.reservePercent : percentFieldText(o.reserve),
    unit: text(o.unit, form.unit),
    method: method ?? form.method,
    ...(basis ? { weightBasis: basis } : {}),
    floor: text(o.floor, ''),
    cap: text(o.cap, ''),
    rfmWeights: o.weights ? (o.weights.map(String) as PlanForm['rfmWeights']) : form.rfmWeights,
    bins: text(o.bins, form.bins),
    scheme: o.scheme === 'rfm8' || o.scheme === 'rfm10' ? o.scheme : form.scheme,
    periods: o.periods ?? form.periods,
    year: text(o.year, ''),
    activityPercents,
    asOf: o.asOf === undefined ? '' : formatIsoDate(o.asOf),
    saturation: text(o.saturation, form.saturation),
    response: o.response ?? form.response,
    segmentLimits: o.segmentMinShare || o.segmentMaxShare ? segmentLimitText(o.segmentMinShare, o.segmentMaxShare) : form.segmentLimits,
    scenarios: settings.scenarios?.length ? settings.scenarios.map(percentFieldText).join(', ') : '',
  };
}

/** The variance form with the last variance run's actual spend, grouping and tolerances (the plan sheet is chosen afresh). */
export function varianceFormFromSettings(settings: RunSettings['variance'] | undefined, form: VarianceForm = DEFAULT_VARIANCE_FORM): VarianceForm {
  if (!settings) return form;
  const th = settings.thresholds;
  return {
    ...form,
    actuals: choiceOf(settings.actuals) ?? form.actuals,
    by: settings.by ?? form.by,
    ...(th ? { overPercent: percentFieldText(th.overTolerance), warnPercent: percentFieldText(th.warnMargin), underPercent: percentFieldText(th.underMargin) } : {}),
  };
}

/** 'table:Sales' -> { kind: 'table', name: 'Sales' }; anything else is the selection. */
export function sourceFromChoice(choice: string): SourceRef {
  return choice.startsWith('table:')
    ? { kind: 'table', name: choice.slice('table:'.length) }
    : { kind: 'selection' };
}

export function tableChoice(name: string): string {
  return `table:${name}`;
}

/** A typed number ("1,000", "5 %"), undefined when blank, NaN when not a number. */
export function parseNumberText(text: string): number | undefined {
  const trimmed = text.trim().replace(/\s*[%％]$/, '');
  if (trimmed === '') return undefined;
  try {
    return readNumber(trimmed);
  } catch {
    return Number.NaN;
  }
}

/** Collects field checks: each returns its value or records a message. */
class Checker<F extends string> {
  readonly errors: FieldErrors<F> = {};
  constructor(private readonly locale: Locale) {}

  fail(field: F, key: string, params: Record<string, string | number> = {}): undefined {
    if (!this.errors[field]) this.errors[field] = t(this.locale, key, params);
    return undefined;
  }

  number(
    field: F,
    text: string,
    rule: 'positive' | 'nonNegative',
    options: { optional?: boolean; example?: string } = {},
  ): number | undefined {
    const n = parseNumberText(text);
    if (n === undefined) return options.optional ? undefined : this.fail(field, 'tp.v.required');
    if (Number.isNaN(n)) return this.fail(field, 'tp.v.number', { example: options.example ?? '100' });
    if (rule === 'positive' && !(n > 0)) return this.fail(field, 'tp.v.positive');
    if (rule === 'nonNegative' && n < 0) return this.fail(field, 'tp.v.nonNegative');
    return n;
  }

  /** A percentage in [0, 100) as a fraction. */
  fraction(field: F, text: string): number | undefined {
    const n = parseNumberText(text);
    if (n === undefined) return 0;
    if (Number.isNaN(n) || n < 0 || n >= 100) return this.fail(field, 'tp.v.percent');
    return n / 100;
  }

  integer(field: F, text: string, min: number, max: number, optional = false): number | undefined {
    const n = parseNumberText(text);
    if (n === undefined && optional) return undefined;
    if (n === undefined || !Number.isInteger(n) || n < min || n > max)
      return this.fail(field, 'tp.v.integerRange', { min, max });
    return n;
  }

  date(field: F, text: string): EpochDays | undefined {
    if (text.trim() === '') return undefined;
    try {
      return readDate(text.trim());
    } catch {
      return this.fail(field, 'tp.v.date');
    }
  }
}

/**
 * The weight basis a method uses when the user has not chosen one: the optimal method weighs each
 * customer by the value at stake, so its lifetime value (money, and the expected response then is
 * money too); the other methods by the RFM score.
 */
export function defaultWeightBasis(method: PlanForm['method']): WeightBasisChoice {
  return method === 'optimal' ? 'clv' : 'score';
}

/**
 * The weight basis the plan uses (and the pane shows): the user's choice, or the method's default.
 * The equal method ignores weights for the allocation, so it never asks for lifetime values.
 */
export function weightBasisOf(form: Pick<PlanForm, 'method' | 'weightBasis'>): WeightBasisChoice {
  const basis = form.weightBasis ?? defaultWeightBasis(form.method);
  return form.method === 'equal' && basis === 'clv' ? 'score' : basis;
}

/** Sum of the activity percentages, to two decimals (NaN when one is not a number). */
export function activityTotalPercent(percents: readonly string[]): number {
  const total = percents.reduce((sum, text) => sum + (parseNumberText(text) ?? 0), 0);
  return Math.round(total * 100) / 100;
}

export function validatePlanForm(
  form: PlanForm,
  locale: Locale,
): Validated<
  PlanField,
  { source: SourceRef; spent?: SourceRef; scenarios?: number[]; clv?: { months: number }; options: PlanOptions }
> {
  const check = new Checker<PlanField>(locale);
  if (!form.source) check.fail('source', 'tp.v.source');
  const budget = check.number('budget', form.budget, 'positive', { example: '100000' });
  const reserve = check.fraction('reservePercent', form.reservePercent);
  const unit = check.number('unit', form.unit, 'positive', { example: '1' });
  const floor = check.number('floor', form.floor, 'nonNegative', { optional: true });
  const cap = check.number('cap', form.cap, 'positive', { optional: true });
  if (floor !== undefined && cap !== undefined && cap < floor) check.fail('cap', 'tp.v.capBelowFloor');
  const weights = form.rfmWeights.map((w) => check.number('rfmWeights', w, 'nonNegative', { example: '1' }));
  if (weights.every((w) => w === 0)) check.fail('rfmWeights', 'tp.v.weightsZero');
  const bins = check.integer('bins', form.bins, 2, 10);
  const year = check.integer('year', form.year, 1900, 9999, true);
  const percents = form.activityPercents.map((p) =>
    check.number('activities', p, 'nonNegative', { example: '20' }),
  );
  const total = activityTotalPercent(form.activityPercents);
  if (!check.errors.activities && Math.abs(total - 100) > 1e-9)
    check.fail('activities', 'tp.v.activitySum', { total });
  const asOf = check.date('asOf', form.asOf);
  const optimal = form.method === 'optimal' ? optimalOptions(check, form) : undefined;
  if (Object.keys(check.errors).length) return { errors: check.errors };
  const weightBasis = weightBasisOf(form);
  const options: PlanOptions = {
    budget: budget as number,
    reserve,
    unit,
    method: form.method,
    weightBasis,
    floor,
    cap,
    weights: weights as [number, number, number],
    bins,
    scheme: form.scheme as SegmentScheme,
    // Segment names in the pane's language (they also name the segments in segment limits).
    language: locale === 'zh-CN' ? 'zh' : 'en',
    periods: form.periods,
    year,
    activities: { names: [...ACTIVITY_NAMES], weights: percents.map((p) => (p as number) / 100) },
    asOf,
    ...optimal,
  };
  const scenarios = scenarioMultipliers(check, form.scenarios);
  if (form.spent && form.spent === form.source) check.fail('spent', 'tp.v.spentIsSource');
  if (Object.keys(check.errors).length) return { errors: check.errors };
  return {
    errors: {},
    value: {
      source: sourceFromChoice(form.source),
      ...(form.spent ? { spent: sourceFromChoice(form.spent) } : {}),
      ...(scenarios ? { scenarios } : {}),
      // Lifetime values are estimated on the transactions when the plan runs.
      ...(weightBasis === 'clv' ? { clv: { months: CLV_MONTHS } } : {}),
      options,
    },
  };
}

/** The optimal method's options: saturation (required, > 0), response curve and segment share limits. */
function optimalOptions(
  check: Checker<PlanField>,
  form: PlanForm,
): Pick<PlanOptions, 'saturation' | 'response' | 'segmentMinShare' | 'segmentMaxShare'> {
  const saturation = check.number('saturation', form.saturation, 'positive', { example: '500' });
  const limits = segmentLimitsOf(check, form.segmentLimits);
  return {
    saturation,
    response: form.response,
    ...(limits && Object.keys(limits.min).length ? { segmentMinShare: limits.min } : {}),
    ...(limits && Object.keys(limits.max).length ? { segmentMaxShare: limits.max } : {}),
  };
}

/** At most this many budget scenarios: each is a whole allocation, and the sheet puts them side by side. */
const MAX_SCENARIOS = 10;

/** "90, 100, 110" (percent of the budget) -> [0.9, 1, 1.1]; undefined when blank or wrong (with a message). */
function scenarioMultipliers(check: Checker<PlanField>, text: string): number[] | undefined {
  if (text.trim() === '') return undefined;
  const parts = text.split(/[,，;；\s]+/).filter((part) => part !== '');
  const percents = parts.map((part) => parseNumberText(part.replace(/[%％]$/, '')));
  if (percents.some((p) => p === undefined || Number.isNaN(p) || !(p > 0))) return check.fail('scenarios', 'tp.v.scenarios');
  if (percents.length > MAX_SCENARIOS) return check.fail('scenarios', 'tp.v.scenariosCount', { max: MAX_SCENARIOS });
  return (percents as number[]).map((p) => p / 100);
}

/** Percent text of a share for messages: 0.05 -> "5 %". */
function percentText(share: number): string {
  return `${percentFieldText(share)} %`;
}

/**
 * Segment limits text through the engine's parser (the same one as CBP.ALLOCATE's segment_limits),
 * its problems as a message on the field. Whether each segment exists is checked when the plan runs.
 */
function segmentLimitsOf(check: Checker<PlanField>, text: string): SegmentShareLimits | undefined {
  try {
    return segmentShareLimits(parseSegmentLimitText(text));
  } catch (error) {
    if (!(error instanceof SegmentLimitError)) throw error;
    const problem = error.problem;
    switch (problem.reason) {
      case 'not-a-limit':
        return check.fail('segmentLimits', 'tp.v.limitText', { item: problem.item });
      case 'bad-share':
        return check.fail('segmentLimits', 'tp.v.limitShare', {
          value: problem.value,
          segment: problem.segment,
        });
      case 'duplicate':
        return check.fail('segmentLimits', `tp.v.limitDuplicate.${problem.kind}`, {
          segment: problem.segment,
        });
      case 'min-above-max':
        return check.fail('segmentLimits', 'tp.v.limitMinAboveMax', {
          segment: problem.segment,
          min: percentText(problem.min),
          max: percentText(problem.max),
        });
    }
  }
}

export interface VarianceSettings {
  planSheet: string;
  actuals: SourceRef;
  asOf?: EpochDays;
  by: 'customer' | 'activity';
  overTolerance: number;
  warnMargin: number;
  underMargin: number;
}

export function validateVarianceForm(
  form: VarianceForm,
  locale: Locale,
): Validated<VarianceField, VarianceSettings> {
  const check = new Checker<VarianceField>(locale);
  if (!form.planSheet) check.fail('planSheet', 'tp.v.planSheet');
  if (!form.actuals) check.fail('actuals', 'tp.v.source');
  const asOf = check.date('asOf', form.asOf);
  const overTolerance = check.fraction('overPercent', form.overPercent);
  const warnMargin = check.fraction('warnPercent', form.warnPercent);
  const underMargin = check.fraction('underPercent', form.underPercent);
  if (Object.keys(check.errors).length) return { errors: check.errors };
  return {
    errors: {},
    value: {
      planSheet: form.planSheet,
      actuals: sourceFromChoice(form.actuals),
      asOf,
      by: form.by,
      overTolerance: overTolerance ?? 0,
      warnMargin: warnMargin ?? 0,
      underMargin: underMargin ?? 0,
    },
  };
}
