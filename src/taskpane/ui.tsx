/** Small layout pieces shared by the tabs. */
import { forwardRef, useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { Button, Caption1Strong, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { tableChoice } from './form';
import type { RunFailure } from './actions';
import { Locale, t } from '../i18n';

/** Grid cells may shrink below an input's intrinsic width (a task pane is about 320-450 px wide). */
const shrinkableCells = {
  '& > *': { minWidth: 0 },
  '& .fui-Input, & .fui-Select': { minWidth: 0, width: '100%' },
};

export const useFormStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '560px' },
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow2,
  },
  sectionTitle: {
    color: tokens.colorNeutralForeground2,
    textTransform: 'uppercase',
    letterSpacing: '0.04em',
  },
  pair: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(130px, 1fr))',
    gap: tokens.spacingHorizontalM,
    alignItems: 'start',
    ...shrinkableCells,
  },
  triple: {
    display: 'grid',
    gridTemplateColumns: 'repeat(3, minmax(0, 1fr))',
    gap: tokens.spacingHorizontalS,
    ...shrinkableCells,
  },
  activities: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(88px, 1fr))',
    gap: tokens.spacingHorizontalS,
    ...shrinkableCells,
  },
  /** A field on its own whose control may be narrower than its longest option (e.g. the weight basis). */
  shrink: { '& > *': { minWidth: '0' }, '& .fui-Select': { minWidth: '0', width: '100%' } },
  sourceRow: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end' },
  grow: { flexGrow: 1, minWidth: 0 },
  wrap: { flexWrap: 'wrap' },
  actions: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  numeric: { textAlign: 'right' },
});

export function Section({ title, children }: { title: string; children: ReactNode }) {
  const styles = useFormStyles();
  return (
    <section className={styles.section}>
      <Caption1Strong as="h2" className={styles.sectionTitle}>
        {title}
      </Caption1Strong>
      {children}
    </section>
  );
}

/**
 * A tab's run button. It keeps the focus in the field being edited on mouse-down: that field's
 * blur would show a message and move the button before the click lands. Keyboard users still tab
 * here and press Enter.
 */
export function SubmitButton({ running, testId, children }: { running: boolean; testId: string; children: ReactNode }) {
  return (
    <Button appearance="primary" type="submit" disabled={running} data-testid={testId} onMouseDown={(event) => event.preventDefault()}>
      {children}
    </Button>
  );
}

/** One option per workbook table, valued 'table:<name>'. */
export function tableOptions(tables: readonly string[], label: (name: string) => string): ReactNode[] {
  return tables.map((name) => (
    <option key={name} value={tableChoice(name)}>
      {label(name)}
    </option>
  ));
}

/**
 * Moves the focus to a run's result or error once it is shown, so keyboard and screen reader users
 * land on it: put the returned ref (with tabIndex={-1}) on the result's MessageBar.
 */
export function useFocusOnResult(outcome: unknown) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome !== undefined) ref.current?.focus();
  }, [outcome]);
  return ref;
}

/** A run's failure (or the user's cancellation) under the tab's button; takes the focus ref of useFocusOnResult. */
export const FailureBar = forwardRef<HTMLDivElement, { failure: RunFailure; locale: Locale; testId: string }>(function FailureBar({ failure, locale, testId }, ref) {
  return (
    <MessageBar intent={failure.cancelled ? 'info' : 'error'} layout="multiline" data-testid={testId} ref={ref} tabIndex={-1}>
      <MessageBarBody>
        <MessageBarTitle>{t(locale, failure.titleKey)}</MessageBarTitle>
        <div>{failure.message}</div>
      </MessageBarBody>
    </MessageBar>
  );
});
