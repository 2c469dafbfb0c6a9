/** `cbp ... --lang zh-CN` prints the engine's errors in Chinese, from the i18n catalogue; without it, English as always. */
import { messageLocale } from '../../src/cli/main';
import { runCbp, tempFolder } from './run-cbp';

const table = 'customer,clv,sat\nA,1000,50\nB,-3,50\n';

describe('cbp errors in the language of --lang', () => {
  const folder = tempFolder({ 'bad.csv': table, 'tx.csv': 'customer,date,amount\nA,2025-01-02,10\nB,2025-01-03,x\n', 'ok.csv': 'customer,date,amount\nA,2025-01-02,10\n' });
  const base = ['--method', 'optimal', '--budget', '1000', '--unit', '1', '--value-column', 'clv', '--saturation-column', 'sat'];

  it('allocate: a cell error names row and column the Chinese way', async () => {
    const zh = await runCbp(['allocate', 'bad.csv', ...base, '--lang', 'zh-CN'], folder);
    expect(zh.code).toBe(2);
    expect(zh.stderr).toBe('cbp allocate: 第 3 行，clv 列：权重 -3 必须是大于或等于 0 的数字\n');
    const en = await runCbp(['allocate', 'bad.csv', ...base], folder);
    expect(en.stderr).toBe('cbp allocate: row 3, column clv: the weight -3 must be a number of 0 or more\n');
  });

  it('allocate: a parameter error, with --lang=zh-CN', async () => {
    const zh = await runCbp(['allocate', 'bad.csv', '--budget', '0', '--value-column', 'clv', '--lang=zh-CN'], folder);
    expect(zh.stderr).toBe('cbp allocate: budget：必须是大于 0 的数字（当前为 0）\n');
  });

  it('plan: floors above the budget, and an amount that is not a number', async () => {
    const floors = await runCbp(['plan', 'ok.csv', '--budget', '100', '--floor', '200', '--out', 'p.xlsx', '--lang', 'zh-CN'], folder);
    expect(floors.code).toBe(2);
    expect(floors.stderr).toBe('cbp plan: 下限合计 200.00，超过了可分配的 100.00；请降低下限或提高预算\n');
    const amount = await runCbp(['plan', 'tx.csv', '--budget', '100', '--out', 'p.xlsx', '--lang', 'zh-CN'], folder);
    expect(amount.stderr).toMatch(/^cbp plan: 第 3 行，amount 列：'x' 不是金额；/);
  });

  it('clv takes --lang too', async () => {
    const zh = await runCbp(['clv', 'bad.csv', '--model', 'retention', '--margin-column', 'clv', '--retention', '1.5', '--lang', 'zh-CN'], folder);
    expect(zh.code).toBe(2);
    expect(zh.stderr).toBe('cbp clv: retention：必须从 0 到 1（不含 1），例如 0.8 表示 80%（当前为 1.5）\n');
  });

  it('messageLocale reads --lang VALUE and --lang=VALUE; anything else is English', () => {
    expect(messageLocale(['x.csv', '--lang', 'zh-CN'])).toBe('zh-CN');
    expect(messageLocale(['--lang=zh-CN'])).toBe('zh-CN');
    expect(messageLocale(['--lang', 'en'])).toBe('en');
    expect(messageLocale(['x.csv'])).toBe('en');
  });
});
