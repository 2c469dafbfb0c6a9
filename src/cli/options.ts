/**
 * Shared option handling for `cbp` subcommands: one table of options per command drives both
 * parsing (node:util parseArgs) and the --help text, so the two never disagree.
 */
import { parseArgs } from 'node:util';
import { resolve as resolvePath } from 'node:path';
import { UsageError } from './io';
import type { ColumnOverrides } from '../engine/headers';
import { readNumber } from '../engine/money';

export interface OptionSpec {
  name: string;
  type: 'string' | 'boolean';
  /** Shown in --help, e.g. 'DATE'. */
  value?: string;
  help: string;
  short?: string;
}

export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  options: OptionSpec[];
  examples: string[];
}

export const OUTPUT_OPTIONS: OptionSpec[] = [
  { name: 'out', type: 'string', value: 'FILE', help: 'write to FILE instead of standard output (never the input file)', short: 'o' },
  { name: 'format', type: 'string', value: 'csv|json', help: 'output format (default csv)' },
  { name: 'sheet', type: 'string', value: 'NAME', help: 'sheet to read from an .xlsx input (default: the first)' },
  { name: 'encoding', type: 'string', value: 'E', help: 'encoding of CSV input: utf-8, gb18030, gbk, utf-16le or utf-16be (default: the byte-order mark, else UTF-8, else GB18030)' },
  { name: 'skip-invalid', type: 'boolean', help: 'skip rows that cannot be read and report how many, instead of stopping' },
  { name: 'date-order', type: 'string', value: 'dmy|mdy', help: 'how to read dates such as 01/02/2025 (default: refuse ambiguous ones)' },
  { name: 'help', type: 'boolean', help: 'show this help', short: 'h' },
];

export const TRANSACTION_COLUMN_OPTIONS: OptionSpec[] = [
  { name: 'customer-column', type: 'string', value: 'NAME', help: 'header of the customer column (default: recognised from customer/客户/...)' },
  { name: 'date-column', type: 'string', value: 'NAME', help: 'header of the date column (default: date/日期/...)' },
  { name: 'amount-column', type: 'string', value: 'NAME', help: 'header of the amount column (default: amount/revenue/金额/...)' },
  { name: 'order-column', type: 'string', value: 'NAME', help: 'header of the order id column (default: order id/订单号 when present)' },
];

export type ParsedOptions = Record<string, string | boolean | undefined>;

export function parseCommandArgs(spec: CommandSpec, argv: string[]): { values: ParsedOptions; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const o of spec.options) options[o.name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as ParsedOptions, positionals };
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify.*$/s, '')}; see 'cbp ${spec.name} --help'`);
  }
}

export function formatHelp(spec: CommandSpec): string {
  const width = Math.max(...spec.options.map((o) => optionLabel(o).length));
  const lines = [`Usage: ${spec.usage}`, '', spec.summary, '', 'Options:'];
  for (const o of spec.options) lines.push(`  ${optionLabel(o).padEnd(width)}  ${o.help}`);
  if (spec.examples.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}

function optionLabel(o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ` ${o.value}` : ''}`;
}

export function stringOption(values: ParsedOptions, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A number as the engine reads one (commas only between thousands), or undefined when it is not one. */
export function numberText(text: string): number | undefined {
  try {
    return readNumber(text);
  } catch {
    return undefined;
  }
}

/** A finite number option, or undefined when absent. */
export function numberOption(values: ParsedOptions, name: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = numberText(text);
  if (n === undefined) throw new UsageError(`--${name} must be a number such as 500000 or 500,000, not '${text}'`);
  return n;
}

/** "1,2,3" -> [1, 2, 3] */
export function numberListOption(values: ParsedOptions, name: string): number[] | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const parts = text.split(/[,;\s]+/).filter((p) => p !== '');
  const numbers = parts.map(Number);
  if (parts.length === 0 || numbers.some((n) => !Number.isFinite(n))) {
    throw new UsageError(`--${name} must be a comma-separated list of numbers, not '${text}'`);
  }
  return numbers;
}

/** "visits=0.3,events=20%" -> [["visits", 0.3], ["events", 0.2]] */
export function namedNumbersOption(values: ParsedOptions, name: string): [string, number][] | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  return text
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((part) => {
      const at = part.lastIndexOf('=');
      const key = part.slice(0, at).trim();
      const text = part.slice(at + 1).trim();
      const percent = /[%％]$/.test(text); // Lost=5% is Lost=0.05
      const digits = (percent ? text.slice(0, -1) : text).trim();
      const n = Number(digits) / (percent ? 100 : 1);
      if (at <= 0 || digits === '' || !Number.isFinite(n)) throw new UsageError(`--${name}: '${part}' must look like NAME=NUMBER or NAME=NUMBER%`);
      return [key, n] as [string, number];
    });
}

export function choiceOption<T extends string>(values: ParsedOptions, name: string, choices: readonly T[], fallback: T): T {
  const text = stringOption(values, name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, not '${text}'`);
  return text as T;
}

export function transactionColumnOverrides(values: ParsedOptions): ColumnOverrides {
  const overrides: ColumnOverrides = {};
  const customer = stringOption(values, 'customer-column');
  const date = stringOption(values, 'date-column');
  const amount = stringOption(values, 'amount-column');
  const order = stringOption(values, 'order-column');
  if (customer !== undefined) overrides.customer = customer;
  if (date !== undefined) overrides.date = date;
  if (amount !== undefined) overrides.amount = amount;
  if (order !== undefined) overrides.orderId = order;
  return overrides;
}

/** An input path as the file system needs it: relative paths resolve against the command's folder. */
export function inputPath(cwd: string, input: string): string {
  return resolvePath(cwd, input);
}

/** The single input file argument. */
export function oneInput(spec: CommandSpec, positionals: string[]): string {
  if (positionals.length !== 1) {
    throw new UsageError(`${spec.name} takes one input file${positionals.length ? `, not ${positionals.length}` : ''}; see 'cbp ${spec.name} --help'`);
  }
  return positionals[0];
}
