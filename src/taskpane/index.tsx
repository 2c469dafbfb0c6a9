/**
 * Task pane entry point: waits for Office, then renders the app over the real Excel host in the
 * user's Office display language.
 */
import { createRoot } from 'react-dom/client';
import { excelPlannerHost, officeExcelHost } from '../hosts/excel';
import { localRunClient } from '../runs';
import { pickLocale } from '../i18n';
import { App } from './App';

function render(languageTag: string | undefined): void {
  const container = document.getElementById('container');
  if (!container) return;
  createRoot(container).render(<App runs={localRunClient(excelPlannerHost(officeExcelHost()))} initialLocale={pickLocale(languageTag)} />);
}

// Outside Office (a plain browser) there is no Office global: render at once in the browser's language.
if (typeof Office !== 'undefined') {
  Office.onReady(() => render(Office.context?.displayLanguage));
} else {
  render(typeof navigator !== 'undefined' ? navigator.language : undefined);
}
