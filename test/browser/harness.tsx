/**
 * Browser test page: the task pane App over the in-memory Excel fake, with a few hundred sample
 * transactions and actual spend rows as tables. The fake is exposed as window.cbpFake for assertions.
 * CBP_TRANSACTIONS_CSV / CBP_ACTUALS_CSV are inlined by the test build (test/browser/build.ts).
 */
import { createRoot, type Root } from 'react-dom/client';
import { App } from '../../src/taskpane/App';
import { createFakeExcel, FakeExcel } from '../hosts/fake-excel';
import { pickLocale } from '../../src/i18n';
import { memorySettings, plannerOf } from '../hosts/excel-planner';
import { localRunClient } from '../../src/runs';

declare const CBP_TRANSACTIONS_CSV: string;
declare const CBP_ACTUALS_CSV: string;

declare global {
  interface Window {
    cbpFake: FakeExcel;
    cbpSettings: { json?: string };
    cbpOpenPane: () => void;
    cbpClosePane: () => void;
  }
}

/** Sample CSV (no quoting in the samples) to cell values: numbers as numbers, the rest as text. */
function csvCells(text: string): (string | number)[][] {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => line.split(',').map((cell) => (/^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell)));
}

const query = new URLSearchParams(window.location.search);
const transactions = csvCells(CBP_TRANSACTIONS_CSV);
const actuals = csvCells(CBP_ACTUALS_CSV);
// An export whose headers the engine does not recognise (German), with one row it rejects: the column mapping.
const exported = [['Kunde', 'Beleg', 'Tag', 'Betrag'], ...transactions.slice(1).map((row) => [row[0], row[1], row[2], row[3]])];
exported.splice(3, 0, ['C999', 'O9999', 'kein Datum', 10]);
// ?large=N: a table of N customers (two transactions each) for the long-run tests.
const large = Number(query.get('large') ?? 0);
const largeRows: (string | number)[][] = [['customer', 'date', 'amount']];
for (let i = 0; i < large; i++) {
  const id = `K${String(i).padStart(6, '0')}`;
  largeRows.push([id, `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, 20 + (i % 500)]);
  largeRows.push([id, `2025-${String(1 + ((i * 7) % 12)).padStart(2, '0')}-15`, 5 + ((i * 13) % 300)]);
}
const fake = createFakeExcel({
  sheets: [
    {
      name: 'Data',
      values: transactions,
      tables: [{ name: 'Sales', address: `A1:D${transactions.length}` }],
    },
    { name: 'Actuals', values: actuals, tables: [{ name: 'Spend', address: `A1:D${actuals.length}` }] },
    { name: 'Export', values: exported, tables: [{ name: 'Export', address: `A1:D${exported.length}` }] },
    ...(large ? [{ name: 'Large', values: largeRows, tables: [{ name: 'Large', address: `A1:C${largeRows.length}` }] }] : []),
  ],
  selection: { sheet: 'Data', address: `A1:D${transactions.length}` },
});
window.cbpFake = fake;

const language = query.get('lang') ?? navigator.language;
// ?user=Name: Office's user info as Outlook-style platforms give it (Office.context.userProfile).
const user = query.get('user');
if (user !== null) (window as unknown as { Office: unknown }).Office = { context: { userProfile: { displayName: user } } };
// The document's settings (Office document settings in Excel), kept while the pane is closed and opened again.
const settings: { json?: string } = {};
window.cbpSettings = settings;
const container = document.getElementById('container');
let root: Root | undefined;
/** Opens the pane over the fake; again after cbpClosePane, as when the user closes and reopens the task pane. */
window.cbpOpenPane = () => {
  if (!container) return;
  root = createRoot(container);
  root.render(<App runs={localRunClient(plannerOf(fake, { settings: memorySettings(settings) }))} initialLocale={pickLocale(language)} />);
};
window.cbpClosePane = () => {
  root?.unmount();
  root = undefined;
};
window.cbpOpenPane();
