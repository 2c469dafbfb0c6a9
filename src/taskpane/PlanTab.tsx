/** "Generate Plan": the plan form, its inline validation, the run and its result. */
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Radio,
  RadioGroup,
  Select,
  Text,
} from '@fluentui/react-components';
import type { RunClient, RunSettings } from '../runs';
import { Locale, t } from '../i18n';
import {
  clvResultTexts,
  describeFailure,
  formatMoney,
  generatePlan,
  infeasibleScenarioTexts,
  optimalResultText,
  PlanSummary,
  Progress,
} from './actions';
import type { RunFailure } from './actions';
import {
  ACTIVITY_NAMES,
  activityTotalPercent,
  CLV_MONTHS,
  DEFAULT_PLAN_FORM,
  PlanField,
  planFormFromSettings,
  PlanForm,
  SELECTION_SOURCE,
  validatePlanForm,
  WEIGHT_BASIS_CHOICES,
  weightBasisOf,
  WeightBasisChoice,
} from './form';
import { ColumnMapping, sourceRefOf } from './ColumnMapping';
import type { ColumnOverrides } from '../engine/headers';
import { Section, SubmitButton, tableOptions, useFormStyles, useFocusOnResult, FailureBar } from './ui';

export interface PlanTabProps {
  /** The runs: in the pane over the Excel host, or on the server for the Sheets sidebar. */
  runs: RunClient;
  locale: Locale;
  tables: string[];
  choicesError?: string;
  /** The settings of the last plan in this document, applied to the form once they arrive. */
  remembered?: RunSettings['plan'];
  onRefresh: () => Promise<void>;
}

type Outcome = { kind: 'done'; summary: PlanSummary } | { kind: 'error'; failure: RunFailure };

const PHASE_TEXT = { read: 'tp.reading', compute: 'tp.computing', write: 'tp.writing' } as const;

function progressText(locale: Locale, progress: Progress | undefined): string {
  if (!progress) return t(locale, 'tp.generating');
  const count = new Intl.NumberFormat(locale);
  return t(locale, PHASE_TEXT[progress.phase], { done: count.format(progress.done), total: count.format(progress.total) });
}

/** The share done for the progress bar; undefined (an indeterminate bar) while computing. */
function progressValue(progress: Progress | undefined): number | undefined {
  if (!progress || progress.phase === 'compute' || progress.total <= 0) return undefined;
  return Math.min(1, progress.done / progress.total);
}

export function PlanTab({ runs, locale, tables, choicesError, remembered, onRefresh }: PlanTabProps) {
  const styles = useFormStyles();
  const [form, setForm] = useState<PlanForm>(DEFAULT_PLAN_FORM);
  const [touched, setTouched] = useState<Partial<Record<PlanField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<Progress | undefined>();
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [columns, setColumns] = useState<ColumnOverrides>({});
  const [cancelling, setCancelling] = useState(false);
  const cancel = useRef<AbortController | undefined>(undefined);
  const resultRef = useFocusOnResult(outcome);
  const validated = useMemo(() => validatePlanForm(form, locale), [form, locale]);
  const L = (key: string, params?: Record<string, string | number>) => t(locale, key, params);

  const update = <K extends keyof PlanForm>(key: K, value: PlanForm[K]) =>
    setForm((previous) => ({ ...previous, [key]: value }));
  const touch = (field: PlanField) => setTouched((previous) => ({ ...previous, [field]: true }));

  // The last plan's settings, once loaded: the form starts from them.
  useEffect(() => {
    if (!remembered) return;
    setForm((previous) => planFormFromSettings(remembered, previous));
    setColumns(remembered.columns ?? {});
  }, [remembered]);
  const errorOf = (field: PlanField) => (submitted || touched[field] ? validated.errors[field] : undefined);
  const fieldProps = (field: PlanField) => {
    const message = errorOf(field);
    return { validationMessage: message, validationState: message ? ('error' as const) : ('none' as const) };
  };
  const textInput = (
    field: Exclude<
      PlanField,
      'rfmWeights' | 'activities' | 'method' | 'weightBasis' | 'scheme' | 'periods' | 'source' | 'spent' | 'response'
    >,
    placeholder?: string,
    inputMode: 'decimal' | 'text' = 'decimal',
  ) => (
    <Input
      value={form[field]}
      inputMode={inputMode}
      placeholder={placeholder}
      onChange={(_, data) => update(field, data.value)}
      onBlur={() => touch(field)}
      data-field={field}
    />
  );

  /** A drop-down over fixed choices, each labelled tp.<field>.<choice>. */
  const choiceSelect = <F extends 'response' | 'scheme' | 'periods'>(field: F, choices: readonly PlanForm[F][]) => (
    <Select value={form[field]} onChange={(_, data) => update(field, data.value as PlanForm[F])} data-field={field}>
      {choices.map((choice) => (
        <option key={choice} value={choice}>
          {L(`tp.${field}.${choice}`)}
        </option>
      ))}
    </Select>
  );

  async function run() {
    setSubmitted(true);
    setOutcome(undefined);
    if (!validated.value) return;
    setRunning(true);
    setProgress(undefined);
    cancel.current = runs.canCancel ? new AbortController() : undefined;
    try {
      const summary = await generatePlan(runs, { ...validated.value, columns, locale, onProgress: setProgress, signal: cancel.current?.signal });
      setOutcome({ kind: 'done', summary });
      void onRefresh();
    } catch (error) {
      setOutcome({ kind: 'error', failure: describeFailure(error, locale) });
    } finally {
      setRunning(false);
      setCancelling(false);
      cancel.current = undefined;
    }
  }

  const money = (minor: number, summary: PlanSummary) => formatMoney(minor, summary.minorDigits, locale);
  const hasErrors = submitted && !validated.value;
  const weightBasis = weightBasisOf(form);
  const weightHint =
    form.method === 'optimal'
      ? L('tp.weight.optimal.hint')
      : weightBasis === 'clv'
        ? L('tp.weight.clv.hint')
        : undefined;
  const clvTexts =
    outcome?.kind === 'done' && outcome.summary.clv ? clvResultTexts(outcome.summary.clv, locale) : undefined;

  return (
    <form
      className={styles.form}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void run();
      }}
    >
      <Section title={L('tp.section.source')}>
        <div className={styles.sourceRow}>
          <Field
            className={styles.grow}
            label={L('tp.source')}
            hint={L('tp.source.hint')}
            {...fieldProps('source')}
          >
            <Select
              value={form.source}
              onChange={(_, data) => {
                update('source', data.value);
                setColumns({});
              }}
              data-field="source"
            >
              <option value={SELECTION_SOURCE}>{L('tp.source.selection')}</option>
              {tableOptions(tables, (name) => L('tp.source.table', { name }))}
            </Select>
          </Field>
        </div>
        <ColumnMapping runs={runs} locale={locale} source={sourceRefOf(form.source)} columns={columns} onChange={setColumns} id="plan" />
        <Field label={L('tp.spent')} hint={L('tp.spent.hint')} {...fieldProps('spent')}>
          <Select value={form.spent} onChange={(_, data) => update('spent', data.value)} data-field="spent">
            <option value="">{L('tp.spent.none')}</option>
            {tableOptions(tables, (name) => L('tp.source.table', { name }))}
          </Select>
        </Field>
        <Button
          appearance="subtle"
          size="small"
          onClick={() => void onRefresh()}
          style={{ alignSelf: 'flex-start' }}
        >
          {L('tp.source.refresh')}
        </Button>
        {choicesError && (
          <MessageBar intent="warning">
            <MessageBarBody>{choicesError}</MessageBarBody>
          </MessageBar>
        )}
      </Section>

      <Section title={L('tp.section.budget')}>
        <Field label={L('tp.budget')} hint={L('tp.budget.hint')} required {...fieldProps('budget')}>
          {textInput('budget', '100000')}
        </Field>
        <div className={styles.pair}>
          <Field label={L('tp.reserve')} {...fieldProps('reservePercent')}>
            {textInput('reservePercent')}
          </Field>
          <Field label={L('tp.unit')} {...fieldProps('unit')}>
            {textInput('unit')}
          </Field>
          <Field label={L('tp.floor')} hint={L('tp.optional')} {...fieldProps('floor')}>
            {textInput('floor')}
          </Field>
          <Field label={L('tp.cap')} hint={L('tp.optional')} {...fieldProps('cap')}>
            {textInput('cap')}
          </Field>
        </div>
        <Field label={L('tp.method')}>
          <RadioGroup
            layout="horizontal"
            className={styles.wrap}
            value={form.method}
            onChange={(_, data) => update('method', data.value as PlanForm['method'])}
            data-field="method"
          >
            <Radio value="proportional" label={L('tp.method.proportional')} />
            <Radio value="equal" label={L('tp.method.equal')} />
            <Radio value="optimal" label={L('tp.method.optimal')} />
          </RadioGroup>
        </Field>
        {form.method === 'optimal' && (
          <>
            <div className={styles.pair}>
              <Field
                label={L('tp.saturation')}
                hint={L('tp.saturation.hint')}
                required
                {...fieldProps('saturation')}
              >
                {textInput('saturation', '500')}
              </Field>
              <Field label={L('tp.response')} hint={L(`tp.response.${form.response}.hint`)}>
                {choiceSelect('response', ['exp', 'log'])}
              </Field>
            </div>
            <Field
              label={L('tp.segmentLimits')}
              hint={L('tp.segmentLimits.hint')}
              {...fieldProps('segmentLimits')}
            >
              {textInput('segmentLimits', L('tp.segmentLimits.placeholder'), 'text')}
            </Field>
          </>
        )}
        <Field className={styles.shrink} label={L('tp.weightBasis')} hint={weightHint}>
          <Select
            value={weightBasis}
            onChange={(_, data) => update('weightBasis', data.value as WeightBasisChoice)}
            disabled={form.method === 'equal'}
            data-field="weightBasis"
          >
            {WEIGHT_BASIS_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {L(`tp.weight.${choice}`, { months: CLV_MONTHS })}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={L('tp.scenarios')} hint={L('tp.scenarios.hint')} {...fieldProps('scenarios')}>
          {textInput('scenarios', '90, 100, 110', 'text')}
        </Field>
      </Section>

      <Section title={L('tp.section.scoring')}>
        <Field label={L('tp.rfmWeights')} {...fieldProps('rfmWeights')}>
          <div className={styles.triple}>
            {(['R', 'F', 'M'] as const).map((letter, k) => (
              <Input
                key={letter}
                aria-label={letter}
                contentBefore={<Text weight="semibold">{letter}</Text>}
                value={form.rfmWeights[k]}
                inputMode="decimal"
                onChange={(_, data) =>
                  update(
                    'rfmWeights',
                    form.rfmWeights.map((w, j) => (j === k ? data.value : w)) as PlanForm['rfmWeights'],
                  )
                }
                onBlur={() => touch('rfmWeights')}
              />
            ))}
          </div>
        </Field>
        <div className={styles.pair}>
          <Field label={L('tp.bins')} {...fieldProps('bins')}>
            {textInput('bins')}
          </Field>
          <Field label={L('tp.scheme')}>
            {choiceSelect('scheme', ['rfm10', 'rfm8'])}
          </Field>
        </div>
        <Field label={L('tp.asOf')} hint={L('tp.asOf.hint')} {...fieldProps('asOf')}>
          {textInput('asOf', 'YYYY-MM-DD')}
        </Field>
      </Section>

      <Section title={L('tp.section.phasing')}>
        <div className={styles.pair}>
          <Field label={L('tp.periods')}>
            {choiceSelect('periods', ['months', 'quarters'])}
          </Field>
          <Field label={L('tp.year')} hint={L('tp.year.hint')} {...fieldProps('year')}>
            {textInput('year')}
          </Field>
        </div>
        <Field
          label={L('tp.activities')}
          hint={L('tp.activities.total', { total: activityTotalPercent(form.activityPercents) })}
          {...fieldProps('activities')}
        >
          <div className={styles.activities}>
            {ACTIVITY_NAMES.map((name, k) => (
              <Field key={name} label={L(`activity.${name}`)} size="small">
                <Input
                  size="small"
                  value={form.activityPercents[k]}
                  inputMode="decimal"
                  contentAfter={<Text size={200}>%</Text>}
                  onChange={(_, data) =>
                    update(
                      'activityPercents',
                      form.activityPercents.map((p, j) => (j === k ? data.value : p)),
                    )
                  }
                  onBlur={() => touch('activities')}
                  data-field={`activity-${name}`}
                />
              </Field>
            ))}
          </div>
        </Field>
      </Section>

      <div className={styles.actions}>
        <SubmitButton running={running} testId="generate">
          {L('tp.generate')}
        </SubmitButton>
        {running && cancel.current && (
          <Button
            data-testid="cancel"
            disabled={cancelling}
            onClick={() => {
              setCancelling(true);
              cancel.current?.abort();
            }}
          >
            {L(cancelling ? 'tp.cancelling' : 'tp.cancel')}
          </Button>
        )}
      </div>
      {running && (
        <div role="status" aria-live="polite" data-testid="plan-progress">
          <Field label={progressText(locale, progress)} validationState="none">
            <ProgressBar value={progressValue(progress)} aria-label={L('tp.progress')} />
          </Field>
        </div>
      )}
      {hasErrors && (
        <MessageBar intent="warning" data-testid="plan-invalid">
          <MessageBarBody>{L('tp.fix')}</MessageBarBody>
        </MessageBar>
      )}
      {outcome?.kind === 'done' && (
        <MessageBar intent="success" layout="multiline" data-testid="plan-success" ref={resultRef} tabIndex={-1}>
          <MessageBarBody>
            <MessageBarTitle>{L('tp.plan.done.title', { sheet: outcome.summary.sheetName })}</MessageBarTitle>
            <div>
              {L('tp.plan.done.body', {
                customers: outcome.summary.customers,
                budget: money(outcome.summary.budgetMinor, outcome.summary),
                allocated: money(outcome.summary.allocatedMinor, outcome.summary),
                reserve: money(outcome.summary.reserveMinor, outcome.summary),
                unallocated: money(outcome.summary.unallocatedMinor, outcome.summary),
              })}
            </div>
            {outcome.summary.scenarioSheetName && (
              <div data-testid="plan-scenarios">{L('tp.plan.scenarios', { sheet: outcome.summary.scenarioSheetName })}</div>
            )}
            {outcome.summary.replan && (
              <div data-testid="plan-replan">
                {L('tp.plan.replan', {
                  customers: outcome.summary.replan.customersWithSpend,
                  spent: money(outcome.summary.replan.spentMinor, outcome.summary),
                })}
                {outcome.summary.replan.notInPlan > 0 && ` ${L('tp.plan.replan.notInPlan', { count: outcome.summary.replan.notInPlan })}`}
              </div>
            )}
            {outcome.summary.optimal && (
              <div data-testid="plan-optimal">{optimalResultText(outcome.summary.optimal, locale)}</div>
            )}
            {clvTexts && <div data-testid="plan-clv">{clvTexts.line}</div>}
          </MessageBarBody>
        </MessageBar>
      )}
      {outcome?.kind === 'done' && outcome.summary.infeasibleScenarios && (
        <MessageBar intent="warning" layout="multiline" data-testid="plan-infeasible">
          <MessageBarBody>
            <MessageBarTitle>{L('tp.plan.infeasible.title')}</MessageBarTitle>
            {infeasibleScenarioTexts(outcome.summary, locale).map((line) => (
              <div key={line}>{line}</div>
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
      {clvTexts && clvTexts.warnings.length > 0 && (
        <MessageBar intent="warning" layout="multiline" data-testid="plan-warnings">
          <MessageBarBody>
            <MessageBarTitle>{L('tp.plan.clv.warnings')}</MessageBarTitle>
            {clvTexts.warnings.map((warning) => (
              <div key={warning}>{warning}</div>
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
      {outcome?.kind === 'error' && <FailureBar failure={outcome.failure} locale={locale} testId={outcome.failure.cancelled ? 'plan-cancelled' : 'plan-error'} ref={resultRef} />}
    </form>
  );
}
