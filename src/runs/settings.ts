/**
 * The settings of the last runs, remembered per document so that the pane (or the sidebar) opens
 * with them: the source, the budget, the method, the reserve ... of the last plan and the sources
 * and tolerances of the last variance run. Stored by the host as one JSON text (Excel: the
 * document's Office settings; Sheets: a document property, at most 9 KB).
 */
import type { PlanOptions } from '../engine/plan';
import type { ColumnOverrides } from '../engine/headers';
import type { PlannerHost, SourceRef } from './host';
import type { Locale } from '../i18n';
import { drive, step, Steps } from './steps';

/** The plan options worth remembering: the user's choices, never data (no per-customer maps). */
export type PlanSettingsOptions = Omit<PlanOptions, 'clv' | 'spentToDateMinor' | 'spentThrough'>;

export interface RunSettings {
  /** The language of the last run: the pane opens in it. */
  locale?: Locale;
  plan?: { source: SourceRef; options: PlanSettingsOptions; spent?: SourceRef; scenarios?: number[]; clv?: { months: number }; columns?: ColumnOverrides };
  variance?: { planSheet?: string; actuals: SourceRef; columns?: ColumnOverrides; by?: 'customer' | 'activity'; thresholds?: { overTolerance: number; warnMargin: number; underMargin: number } };
}

/** The user's choices of a plan request (per-customer values and spend to date left out). */
export function settingsOfPlan(options: PlanOptions): PlanSettingsOptions {
  const choices: PlanOptions = { ...options };
  delete choices.clv;
  delete choices.spentToDateMinor;
  delete choices.spentThrough;
  return choices;
}

/** The remembered settings, or {} when there are none or they cannot be read. */
export function* loadSettingsSteps(host: PlannerHost): Steps<RunSettings> {
  const text = yield* step(host.loadSettings());
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as RunSettings) : {};
  } catch {
    return {};
  }
}

export function loadSettings(host: PlannerHost): Promise<RunSettings> {
  return drive(loadSettingsSteps(host));
}

/** "Reset to defaults": the document forgets the remembered settings. */
export function* resetSettingsSteps(host: PlannerHost): Steps<void> {
  yield* step(host.saveSettings(JSON.stringify({})));
}

export function resetSettings(host: PlannerHost): Promise<void> {
  return drive(resetSettingsSteps(host));
}

/**
 * Merges `part` into the remembered settings. Remembering is a convenience: a failure (a store
 * that is full or unavailable) never fails the run that has already written its sheets.
 */
export function* saveRunSettings(host: PlannerHost, part: RunSettings): Steps<boolean> {
  try {
    const current = yield* loadSettingsSteps(host);
    yield* step(host.saveSettings(JSON.stringify({ ...current, ...part })));
    return true;
  } catch {
    return false;
  }
}
