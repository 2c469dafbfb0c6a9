/** "Approve Plan": a draft plan sheet, the approver and the protection; the result. */
import { useEffect, useMemo, useState } from 'react';
import { Checkbox, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Select, Spinner } from '@fluentui/react-components';
import type { RunClient } from '../runs';
import type { PlanSheetState } from '../workbook/approval';
import { Locale, t } from '../i18n';
import { approvePlan, ApproveResult, defaultDraftSheet, describeFailure, officeUserName } from './actions';
import type { RunFailure } from './actions';
import { Section, SubmitButton, useFormStyles, useFocusOnResult, FailureBar } from './ui';

export interface ApproveTabProps {
  /** The runs: in the pane over the Excel host, or on the server for the Sheets sidebar. */
  runs: RunClient;
  locale: Locale;
  planSheets: PlanSheetState[];
  onRefresh: () => Promise<void>;
}

type Outcome = { kind: 'done'; result: ApproveResult } | { kind: 'error'; failure: RunFailure };

export function ApproveTab({ runs, locale, planSheets, onRefresh }: ApproveTabProps) {
  const styles = useFormStyles();
  const drafts = useMemo(() => planSheets.filter((p) => p.status === 'draft'), [planSheets]);
  const [sheetName, setSheetName] = useState('');
  // Prefilled from Office's user info where the platform gives it; editable.
  const [approver, setApprover] = useState(officeUserName);
  const [fullProtection, setFullProtection] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const resultRef = useFocusOnResult(outcome);
  // The sheet just approved: replaced by the newest draft once the list shows it approved.
  const [justApproved, setJustApproved] = useState('');
  const L = (key: string, params?: Record<string, string | number>) => t(locale, key, params);

  // The newest draft, unless the user's choice is still a plan sheet (approving an approved or
  // superseded one says so and changes nothing).
  useEffect(() => {
    const chosen = planSheets.find((p) => p.sheetName === sheetName);
    if (!chosen || (sheetName === justApproved && chosen.status !== 'draft')) setSheetName(defaultDraftSheet(planSheets));
  }, [planSheets, sheetName, justApproved]);

  async function run() {
    setSubmitted(true);
    setOutcome(undefined);
    if (!sheetName) return;
    setRunning(true);
    try {
      setOutcome({ kind: 'done', result: await approvePlan(runs, { sheetName, approver, fullProtection }, locale) });
      setJustApproved(sheetName);
      setSubmitted(false); // the approved plan is no draft any more: no "choose a draft" under the emptied list
      void onRefresh();
    } catch (error) {
      setOutcome({ kind: 'error', failure: describeFailure(error, locale) });
    } finally {
      setRunning(false);
    }
  }

  const missing = submitted && !sheetName ? L('tp.approve.required') : undefined;
  return (
    <form
      className={styles.form}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void run();
      }}
    >
      <Section title={L('tp.approve.run')}>
        <Field label={L('tp.approve.planSheet')} hint={drafts.length ? undefined : L('tp.approve.noDrafts')} validationMessage={missing} validationState={missing ? 'error' : 'none'}>
          <Select value={sheetName} onChange={(_, data) => {
              setJustApproved('');
              setSheetName(data.value);
            }} data-field="approveSheet">
            {!sheetName && <option value="">—</option>}
            {planSheets.map((p) => (
              <option key={p.sheetName} value={p.sheetName}>
                {p.status === 'draft' ? p.sheetName : L('tp.approve.option', { sheet: p.sheetName, status: L(`plan.status.${p.status}`) })}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={L('tp.approve.approver')} hint={L('tp.approve.approver.hint')}>
          <Input value={approver} onChange={(_, data) => setApprover(data.value)} data-field="approver" />
        </Field>
        <Checkbox checked={fullProtection} onChange={(_, data) => setFullProtection(data.checked === true)} label={L('tp.approve.full')} data-field="fullProtection" />
      </Section>
      <div className={styles.actions}>
        <SubmitButton running={running} testId="approve">
          {L('tp.approve.run')}
        </SubmitButton>
        {running && <Spinner size="tiny" label={L('tp.approve.running')} />}
      </div>
      {outcome?.kind === 'done' && (
        <MessageBar intent="success" layout="multiline" data-testid="approve-success" ref={resultRef} tabIndex={-1}>
          <MessageBarBody>
            <MessageBarTitle>{L('tp.approve.done.title', { sheet: outcome.result.sheetName, approver: outcome.result.approver })}</MessageBarTitle>
            {outcome.result.superseded.length > 0 && <div>{L('tp.approve.done.superseded', { sheets: outcome.result.superseded.join(', ') })}</div>}
            <div data-testid="approve-unprotect">{L('tp.approve.done.unprotect')}</div>
          </MessageBarBody>
        </MessageBar>
      )}
      {outcome?.kind === 'error' && <FailureBar failure={outcome.failure} locale={locale} testId="approve-error" ref={resultRef} />}
    </form>
  );
}
