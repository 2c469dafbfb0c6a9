/**
 * Every message the engine can raise (the registry in src/engine/error-messages.ts) has an English
 * and a Chinese text in the i18n catalogue with the same placeholders, and the engine raises no
 * error outside the registry.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_MESSAGES, engineMessageKeys } from '../../src/engine/error-messages';
import { engineError, InputError, parameterError, wrappedError } from '../../src/engine/errors';
import { allKeys, t } from '../../src/i18n';
import { localizeError } from '../../src/i18n/errors';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const CODES = ['bad-date', 'ambiguous-date', 'bad-money', 'bad-number', 'missing-value', 'missing-column', 'duplicate-column', 'length-mismatch', 'bad-parameter', 'infeasible', 'no-data', 'not-converged', 'bad-file'];

test.each(engineMessageKeys())('%s: en and zh-CN both have it, with the same placeholders', (key) => {
  const en = allKeys('en').includes(`engine.${key}`);
  const zh = allKeys('zh-CN').includes(`engine.${key}`);
  expect([en, zh]).toEqual([true, true]);
  const english = t('en', `engine.${key}`);
  const chinese = t('zh-CN', `engine.${key}`);
  expect(english).toBe(ENGINE_MESSAGES[key].en);
  expect(placeholders(chinese)).toEqual(placeholders(english));
  expect(chinese).not.toBe(english);
  expect(CODES).toContain(ENGINE_MESSAGES[key].code);
});

test('the registry walks more than a hundred messages and the catalogue has no stale engine key', () => {
  expect(engineMessageKeys().length).toBeGreaterThan(100);
  const known = new Set(engineMessageKeys().map((key) => `engine.${key}`));
  expect(allKeys('zh-CN').filter((key) => key.startsWith('engine.') && !known.has(key))).toEqual([]);
});

function engineFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? engineFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('the engine builds every error from the registry: no `new InputError(` outside errors.ts', () => {
  const root = join(__dirname, '../../src/engine');
  const offenders = engineFiles(root).filter((path) => !path.endsWith('errors.ts') && /new InputError\(/.test(readFileSync(path, 'utf8')));
  expect(offenders).toEqual([]);
});

test('localizeError: English is the engine text byte for byte; Chinese words the message and the location', () => {
  const cell = engineError('number.invalid', { value: "'x'" }, { row: 3, column: 'amount' }, 'x');
  expect(cell.message).toBe("row 3, column amount: 'x' is not a number");
  expect(localizeError(cell, 'en')).toBe(cell.message);
  expect(localizeError(cell, 'zh-CN')).toBe("第 3 行，amount 列：'x' 不是数字");
  const parameter = parameterError('budget', 'budget.notPositive', { value: 0 });
  expect(parameter.message).toBe('budget: must be a number above 0 (got 0)');
  expect(localizeError(parameter, 'zh-CN')).toBe('budget：必须是大于 0 的数字（当前为 0）');
  const scenario = wrappedError('scenarios.failed', { multiplier: 0.5, budget: 500 }, engineError('allocation.floorsExceed', { floors: '1200.00', total: '500.00' }));
  expect(scenario.message).toBe('budget scenario x0.5 (budget 500): the floors add up to 1200.00, more than the 500.00 to distribute; lower the floors or raise the budget');
  expect(scenario.code).toBe('infeasible');
  expect(localizeError(scenario, 'zh-CN')).toBe('预算情景 x0.5（预算 500）：下限合计 1200.00，超过了可分配的 500.00；请降低下限或提高预算');
  // An error a host worded itself keeps its text; only its location follows the language.
  expect(localizeError(new InputError('no-data', '表为空', { row: 2 }), 'zh-CN')).toBe('第 2 行：表为空');
  expect(localizeError(new Error('plain'), 'zh-CN')).toBe('plain');
});
