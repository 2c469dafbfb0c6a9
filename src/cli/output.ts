/** Writing command results: CSV or JSON, to standard output or a file that is never the input. */
import { rename, writeFile, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CliIo, UsageError } from './io';

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
