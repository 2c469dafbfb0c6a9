/**
 * Sheets sidebar entry point: the task pane's app (same components, laid out for the sidebar's
 * 300 px) over the server functions, reached through google.script.run (sidebarClient).
 */
import { createRoot } from 'react-dom/client';
import { sidebarClient, ScriptRun } from '../hosts/sheets/sidebar-client';
import { pickLocale } from '../i18n';
import { App } from '../taskpane/App';

declare const google: { script: { run: ScriptRun } };

const container = document.getElementById('container');
if (container) createRoot(container).render(<App runs={sidebarClient(google.script.run)} initialLocale={pickLocale(navigator.language)} />);
