/**
 * Temporary folders of a cbp run (DuckDB's spill files, order pairs beyond memory): made in the
 * system's temporary directory and removed when done, or when the process exits, also after
 * Ctrl+C (main() exits on signals).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const liveFolders = new Set<string>();
let exitHookInstalled = false;

/** A new empty folder named `prefix` + random characters. */
export function makeTempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  liveFolders.add(folder);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => [...liveFolders].forEach(removeTempFolder));
  }
  return folder;
}

export function removeTempFolder(folder: string): void {
  liveFolders.delete(folder);
  rmSync(folder, { recursive: true, force: true });
}
