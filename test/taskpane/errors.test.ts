/**
 * The task pane shows a failed run's engine error in the pane's language: the run (over the fake
 * Excel and Sheets hosts) throws the engine's InputError, and describeFailure words it from the
 * i18n catalogue by its key; English stays the engine's text.
 */
import { epochDaysFromCivil } from '../../src/engine/dates';
import { generatePlan } from '../../src/runs';
import { describeFailure } from '../../src/taskpane/actions';
import { HOSTS, StartSheet } from '../runs/hosts';

function transactions(): StartSheet {
  const rows: StartSheet['rows'] = [];
  for (let i = 0; i < 10; i++) rows.push([`C${i}`, { day: epochDaysFromCivil(2025, 1 + i, 3) }, 100 + i]);
  return { name: 'Transactions', header: ['客户', '日期', '金额'], rows, table: 'Tx' };
}

async function failure(make: (typeof HOSTS)[number]['make'], locale: 'en' | 'zh-CN', options: { budget: number; floor?: number; reserve?: number }) {
  const h = make([transactions()]);
  const run = generatePlan(h.planner, { source: { kind: 'table', name: 'Tx' }, options: { unit: 1, ...options }, locale, productVersion: 'test', now: '2026-01-20T08:00:00Z' });
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeDefined();
  expect(h.sheetNames()).toEqual(['Transactions']);
  return describeFailure(error, locale);
}

describe.each(HOSTS)('pane errors over $name', ({ make }) => {
  it('floors above the budget: Chinese in a Chinese pane, the engine text in English', async () => {
    expect(await failure(make, 'zh-CN', { budget: 1000, floor: 200 })).toEqual({ titleKey: 'tp.error.title', message: '下限合计 2000.00，超过了可分配的 1000.00；请降低下限或提高预算' });
    expect((await failure(make, 'en', { budget: 1000, floor: 200 })).message).toBe('the floors add up to 2000.00, more than the 1000.00 to distribute; lower the floors or raise the budget');
  });

  it('a bad reserve names the parameter the Chinese way', async () => {
    expect((await failure(make, 'zh-CN', { budget: 1000, reserve: 1.5 })).message).toBe('reserve：必须是从 0 到 1（不含 1）的比例，例如 0.05 表示 5%（当前为 1.5）');
  });
});
