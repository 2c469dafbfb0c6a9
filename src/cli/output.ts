/** Writing command results: CSV or JSON, to standard output or a file that is never the input. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { rename, writeFile, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CliIo, UsageError } from './io';
import type { Replan } from '../engine/allocation/replan';
import { fromMinorUnits } from '../engine/money';

/** Refuses an --out path that is one of the inputs. */
export function assertNotInput(outPath: string, inputs: readonly string[], cwd: string): void {
  const target = resolve(cwd, outPath);
  for (const input of inputs) {
    if (resolve(cwd, input) === target) throw new UsageError(`--out ${outPath} is the input file; choose another name so the input is never overwritten`);
  }
}

/** Writes through a temporary file in the same folder and renames, so a crash never leaves half a file. */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

/** Sends text to --out (atomically) or to standard output. */
export async function emit(text: string, outPath: string | undefined, inputs: readonly string[], io: CliIo): Promise<void> {
  if (outPath === undefined) {
    io.stdout(text);
    return;
  }
  assertNotInput(outPath, inputs, io.cwd);
  await writeFileAtomically(resolve(io.cwd, outPath), text);
}

/**
 * Streams text chunks to --out (through a temporary file, renamed at the end) or to standard
 * output, so a large result is never held as one string.
 */
export async function emitChunks(chunks: Iterable<string>, outPath: string | undefined, inputs: readonly string[], io: CliIo): Promise<void> {
  if (outPath === undefined) {
    for (const chunk of chunks) io.stdout(chunk);
    return;
  }
  assertNotInput(outPath, inputs, io.cwd);
  const path = resolve(io.cwd, outPath);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'w');
    for (const chunk of chunks) writeSync(fd, chunk);
    closeSync(fd);
    fd = undefined;
    await rename(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    await unlink(temp).catch(() => undefined);
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

/** CSV text in chunks of about `linesPerChunk` lines. */
export function* csvChunks(header: string, rowCount: number, line: (row: number) => string, linesPerChunk = 4096): Generator<string> {
  let chunk = header + '\n';
  for (let r = 0; r < rowCount; r++) {
    chunk += line(r) + '\n';
    if ((r + 1) % linesPerChunk === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** The re-plan notes on standard error: spend kept as floors, and spend by customers not among the rows (`rows` names them). */
export function reportReplan(io: CliIo, replan: Replan, minorDigits: number, rows: string): void {
  const money = fromMinorUnits(replan.spentMinor, minorDigits).toFixed(minorDigits);
  io.stderr(`re-plan: ${replan.customersWithSpend} customers have spent ${money} to date; each keeps at least that, the rest is allocated again\n`);
  if (replan.notInPlan.length) io.stderr(`warning: ${replan.notInPlan.length} customers with spend to date are not in ${rows} and were left out (e.g. ${replan.notInPlan.slice(0, 3).join(', ')})\n`);
}
