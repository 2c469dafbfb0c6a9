/** Writing command results: CSV or JSON, to standard output or a file that is never the input. */
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { rename, writeFile, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CLI_LOCALE, CliIo, UsageError } from './io';
import { temporaryPathFor } from '../hosts/xlsx/temporary';
import { t } from '../i18n';
import type { Replan } from '../engine/allocation/replan';
import { fromMinorUnits } from '../engine/money';

/** Refuses an --out path that is one of the inputs. */
export function assertNotInput(outPath: string, inputs: readonly string[], cwd: string): void {
  const target = resolve(cwd, outPath);
  for (const input of inputs) {
    if (resolve(cwd, input) === target) throw new UsageError(`--out ${outPath} is the input file; choose another name so the input is never overwritten`);
  }
}

const FILE_SYSTEM_REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'the folder does not exist',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EISDIR: 'it is a folder',
};

/** Temporary files being written now: removed if the process is interrupted (see removeTemporaries). */
const liveTemporaries = new Set<string>();

/** Removes every temporary file still being written (on SIGINT / SIGTERM, before exiting). */
export function removeTemporaries(): void {
  for (const temp of liveTemporaries) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  }
  liveTemporaries.clear();
}

/**
 * Writes --out through a temporary file in the same folder, renamed over the target at the end, so
 * the target holds the complete old file or the complete new one, never half a file. A file system
 * failure is one line naming the path as the user gave it (`outPath`), never the temporary name.
 */
export async function writeThroughTemporary(outPath: string, cwd: string, write: (temp: string) => Promise<void> | void): Promise<void> {
  const temp = temporaryPathFor(resolve(cwd, outPath));
  liveTemporaries.add(temp);
  try {
    await write(temp);
    await rename(temp, resolve(cwd, outPath));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const reason = FILE_SYSTEM_REASONS[(error as NodeJS.ErrnoException).code ?? ''];
    throw reason ? new UsageError(t(CLI_LOCALE, 'output.notWritable', { path: outPath, reason })) : error;
  } finally {
    liveTemporaries.delete(temp);
  }
}

/** Sends text to --out (atomically) or to standard output. */
export async function emit(text: string, outPath: string | undefined, inputs: readonly string[], io: CliIo): Promise<void> {
  if (outPath === undefined) {
    io.stdout(text);
    return;
  }
  assertNotInput(outPath, inputs, io.cwd);
  await writeThroughTemporary(outPath, io.cwd, (temp) => writeFile(temp, text));
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
  await writeThroughTemporary(outPath, io.cwd, (temp) => {
    const fd = openSync(temp, 'w');
    try {
      for (const chunk of chunks) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
  });
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
