/**
 * Column mapping for a source: a drop-down per role (customer, date, amount, order id) over the
 * source's header row, the recognised columns preselected, and a preview of the first rows as the
 * run will read them with the first rows it would reject. The preview comes from the previewSource
 * run; this component only shows it. Opens by itself when a required column is not recognised.
 */
import { useEffect, useState } from 'react';
import { Button, Caption1, Field, MessageBar, MessageBarBody, Select } from '@fluentui/react-components';
import type { ColumnOverrides } from '../engine/headers';
import { MAPPED_ROLES, type MappedRole, type RunClient, type SourcePreview, type SourceRef } from '../runs';
import { Locale, t } from '../i18n';
import { formatMoney } from './actions';
import { sourceFromChoice } from './form';

export interface ColumnMappingProps {
  runs: RunClient;
  locale: Locale;
  /** The chosen source (undefined while none can be read). */
  source: SourceRef | undefined;
  columns: ColumnOverrides;
  onChange: (columns: ColumnOverrides) => void;
  /** data-field prefix, unique per tab. */
  id: string;
  /** The roles offered (default all four; actual spend has no order id). */
  roles?: readonly MappedRole[];
}

export function ColumnMapping({ runs, locale, source, columns, onChange, id, roles = MAPPED_ROLES }: ColumnMappingProps) {
  const [preview, setPreview] = useState<SourcePreview | undefined>();
  const [open, setOpen] = useState(false);
  const L = (key: string, params?: Record<string, string | number>) => t(locale, key, params);
  const sourceKey = JSON.stringify(source ?? null);
  const columnsKey = JSON.stringify(columns);

  useEffect(() => {
    let live = true;
    if (!source) {
      setPreview(undefined);
      return;
    }
    runs.previewSource({ source, columns, locale, rows: 3 }).then(
      (p) => live && setPreview(p),
      () => live && setPreview(undefined),
    );
    return () => {
      live = false;
    };
  }, [runs, sourceKey, columnsKey, locale]);

  const needed = !!preview && (preview.missing.length > 0 || preview.columnError !== undefined);
  // Once opened for a missing column it stays open while the user maps the others.
  useEffect(() => {
    if (needed) setOpen(true);
  }, [needed]);
  const shown = open || needed;
  return (
    <div data-testid={`${id}-mapping`}>
      <Button appearance="subtle" size="small" aria-expanded={shown} onClick={() => setOpen(!open)} disabled={!preview || needed} style={{ alignSelf: 'flex-start' }}>
        {L('tp.map.toggle')}
      </Button>
      {preview && shown && (
        <>
          {preview.missing.length > 0 && (
            <MessageBar intent="warning">
              <MessageBarBody>{L('tp.map.missing', { roles: preview.missing.map((r) => L(`preview.role.${r}`)).join(', ') })}</MessageBarBody>
            </MessageBar>
          )}
          {roles.map((role) => (
            <Field key={role} label={L(`tp.map.${role}`)}>
              <Select
                data-field={`${id}-map-${role}`}
                value={preview.columns[role] === undefined ? '' : String(preview.columns[role])}
                onChange={(_, data) => {
                  const next: ColumnOverrides = { ...columns };
                  if (data.value === '') delete next[role];
                  else next[role] = Number(data.value);
                  onChange(next);
                }}
              >
                <option value="">{L('tp.map.none')}</option>
                {preview.headers.map((header, index) => (
                  <option key={index} value={String(index)}>
                    {header || L('tp.map.column', { n: index + 1 })}
                  </option>
                ))}
              </Select>
            </Field>
          ))}
          {preview.columnError && (
            <MessageBar intent="error">
              <MessageBarBody>{preview.columnError}</MessageBarBody>
            </MessageBar>
          )}
          <PreviewList
            testId={`${id}-preview`}
            title={L('tp.map.preview')}
            lines={preview.rows.map((r) => ({ row: r.row, text: L('tp.map.row', { row: r.row, customer: r.customer, date: r.date, amount: formatMoney(r.amountMinor, preview.minorDigits, locale) }) }))}
          />
          <PreviewList
            testId={`${id}-rejected`}
            title={L('tp.map.rejected')}
            lines={preview.rejected.map((r) => ({ row: r.row, text: L('tp.map.rejectedRow', { row: r.row, message: r.message }) }))}
          />
        </>
      )}
    </div>
  );
}

/** A titled list of preview lines (nothing when there are none). */
function PreviewList({ testId, title, lines }: { testId: string; title: string; lines: { row: number; text: string }[] }) {
  if (!lines.length) return null;
  return (
    <div data-testid={testId}>
      <Caption1>{title}</Caption1>
      <ul style={{ margin: 0, paddingInlineStart: 16, overflowWrap: 'anywhere' }}>
        {lines.map((line) => (
          <li key={line.row}>{line.text}</li>
        ))}
      </ul>
    </div>
  );
}

/** The source a choice names, or undefined when it cannot be previewed (none chosen). */
export function sourceRefOf(choice: string): SourceRef | undefined {
  if (!choice) return undefined;
  try {
    return sourceFromChoice(choice);
  } catch {
    return undefined;
  }
}
