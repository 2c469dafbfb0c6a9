/** "Track Variance": plan sheet, actual spend, as-of date, key and tolerances; the result counts. */
import { useEffect, useMemo, useState } from 'react';
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Select,
  Spinner,
} from '@fluentui/react-components';
import type { RunClient, RunSettings } from '../runs';
import type { ColumnOverrides } from '../engine/headers';
import { ColumnMapping, sourceRefOf } from './ColumnMapping';
import type { PlanSheetState } from '../workbook/approval';
import type { VarianceStatus } from '../engine/variance';
import { Locale, t } from '../i18n';
import { defaultPlanSheet, describeFailure, trackVariance, VarianceSummary } from './actions';
import type { RunFailure } from './actions';
import {
  DEFAULT_VARIANCE_FORM,
  SELECTION_SOURCE,
  validateVarianceForm,
  varianceFormFromSettings,
  VarianceField,
  VarianceForm,
} from './form';
import { Section, SubmitButton, tableOptions, useFormStyles, useFocusOnResult, FailureBar } from './ui';

export interface VarianceTabProps {
  /** The runs: in the pane over the Excel host, or on the server for the Sheets sidebar. */
  runs: RunClient;
  locale: Locale;
  tables: string[];
  planSheets: PlanSheetState[];
  /** The settings of the last variance run in this document, applied to the form once they arrive. */
  remembered?: RunSettings['variance'];
  onRefresh: () => Promise<void>;
}

type Outcome = { kind: 'done'; summary: VarianceSummary } | { kind: 'error'; failure: RunFailure };

/** Actual spend has no order ids. */
const ACTUALS_ROLES = ['customer', 'date', 'amount'] as const;

const STATUS_ORDER: VarianceStatus[] = ['over-budget', 'at-risk', 'under-used', 'on-track', 'unplanned'];

function countsText(locale: Locale, counts: Partial<Record<VarianceStatus, number>>): string {
  const separator = locale === 'zh-CN' ? '，' : ', ';
  return STATUS_ORDER.filter((s) => counts[s])
    .map((s) => `${t(locale, `status.${s}`)} ${counts[s]}`)
    .join(separator);
}

export function VarianceTab({ runs, locale, tables, planSheets, remembered, onRefresh }: VarianceTabProps) {
  const styles = useFormStyles();
  const [form, setForm] = useState<VarianceForm>(DEFAULT_VARIANCE_FORM);
  const [submitted, setSubmitted] = useState(false);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [columns, setColumns] = useState<ColumnOverrides>({});
  const resultRef = useFocusOnResult(outcome);
  const validated = useMemo(() => validateVarianceForm(form, locale), [form, locale]);
  const L = (key: string, params?: Record<string, string | number>) => t(locale, key, params);
  const update = <K extends keyof VarianceForm>(key: K, value: VarianceForm[K]) =>
    setForm((previous) => ({ ...previous, [key]: value }));
  const fieldProps = (field: VarianceField) => {
    const message = submitted ? validated.errors[field] : undefined;
    return { validationMessage: message, validationState: message ? ('error' as const) : ('none' as const) };
  };

  useEffect(() => {
    if (!remembered) return;
    setForm((previous) => varianceFormFromSettings(remembered, previous));
    setColumns(remembered.columns ?? {});
  }, [remembered]);

  // Pick the approved plan (else the newest plan sheet) once one exists, and again when a plan is
  // approved; keep the user's choice while it still exists.
  const approvedSheet = defaultPlanSheet(planSheets);
  useEffect(() => {
    if (approvedSheet !== undefined) update('planSheet', approvedSheet);
  }, [approvedSheet]);
  useEffect(() => {
    if (planSheets.length && !planSheets.some((p) => p.sheetName === form.planSheet)) update('planSheet', defaultPlanSheet(planSheets) ?? '');
  }, [planSheets, form.planSheet]);

  async function run() {
    setSubmitted(true);
    setOutcome(undefined);
    if (!validated.value) return;
    setRunning(true);
    try {
      setOutcome({ kind: 'done', summary: await trackVariance(runs, validated.value, locale, columns) });
      void onRefresh();
    } catch (error) {
      setOutcome({ kind: 'error', failure: describeFailure(error, locale) });
    } finally {
      setRunning(false);
    }
  }

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
        <Field
          label={L('tp.variance.planSheet')}
          hint={planSheets.length ? undefined : L('tp.variance.noPlans')}
          {...fieldProps('planSheet')}
        >
          <Select
            value={form.planSheet}
            onChange={(_, data) => update('planSheet', data.value)}
            data-field="planSheet"
          >
            {!planSheets.length && <option value="">—</option>}
            {planSheets.map((p) => (
              <option key={p.sheetName} value={p.sheetName}>
                {`${p.sheetName} (${L(`tp.status.${p.status}`)})`}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label={L('tp.variance.actuals')}
          hint={L('tp.variance.actuals.hint')}
          {...fieldProps('actuals')}
        >
          <Select
            value={form.actuals}
            onChange={(_, data) => {
              update('actuals', data.value);
              setColumns({});
            }}
            data-field="actuals"
          >
            <option value={SELECTION_SOURCE}>{L('tp.source.selection')}</option>
            {tableOptions(tables, (name) => L('tp.source.table', { name }))}
          </Select>
        </Field>
        <ColumnMapping runs={runs} locale={locale} source={sourceRefOf(form.actuals)} columns={columns} onChange={setColumns} roles={ACTUALS_ROLES} id="variance" />
        <Button
          appearance="subtle"
          size="small"
          onClick={() => void onRefresh()}
          style={{ alignSelf: 'flex-start' }}
        >
          {L('tp.source.refresh')}
        </Button>
      </Section>
      <Section title={L('tp.section.compare')}>
        <Field label={L('tp.asOf')} hint={L('tp.asOf.hint')} {...fieldProps('asOf')}>
          <Input
            value={form.asOf}
            placeholder="YYYY-MM-DD"
            onChange={(_, data) => update('asOf', data.value)}
            data-field="variance-asOf"
          />
        </Field>
        <Field label={L('tp.variance.by')}>
          <RadioGroup
            layout="horizontal"
            value={form.by}
            onChange={(_, data) => update('by', data.value as VarianceForm['by'])}
          >
            <Radio value="customer" label={L('tp.variance.by.customer')} />
            <Radio value="activity" label={L('tp.variance.by.activity')} />
          </RadioGroup>
        </Field>
        <div className={styles.pair}>
          <Field label={L('tp.variance.over')} {...fieldProps('overPercent')}>
            <Input
              value={form.overPercent}
              inputMode="decimal"
              onChange={(_, data) => update('overPercent', data.value)}
            />
          </Field>
          <Field label={L('tp.variance.warn')} {...fieldProps('warnPercent')}>
            <Input
              value={form.warnPercent}
              inputMode="decimal"
              onChange={(_, data) => update('warnPercent', data.value)}
            />
          </Field>
          <Field label={L('tp.variance.under')} {...fieldProps('underPercent')}>
            <Input
              value={form.underPercent}
              inputMode="decimal"
              onChange={(_, data) => update('underPercent', data.value)}
            />
          </Field>
        </div>
      </Section>
      <div className={styles.actions}>
        <SubmitButton running={running} testId="track">
          {L('tp.variance.run')}
        </SubmitButton>
        {running && <Spinner size="tiny" label={L('tp.variance.running')} />}
      </div>
      {outcome?.kind === 'done' && (
        <MessageBar intent="success" layout="multiline" data-testid="variance-success" ref={resultRef} tabIndex={-1}>
          <MessageBarBody>
            <MessageBarTitle>
              {L('tp.variance.done.title', { sheet: outcome.summary.sheetName })}
            </MessageBarTitle>
            <div data-testid="variance-plan">{L('tp.variance.done.plan', { sheet: outcome.summary.planSheet })}</div>
            <div>
              {L('tp.variance.done.body', {
                asOf: outcome.summary.asOfText,
                counts: countsText(locale, outcome.summary.counts),
              })}
            </div>
          </MessageBarBody>
        </MessageBar>
      )}
      {outcome?.kind === 'error' && <FailureBar failure={outcome.failure} locale={locale} testId="variance-error" ref={resultRef} />}
    </form>
  );
}
