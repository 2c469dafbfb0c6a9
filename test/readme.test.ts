/** Every `npx cbp ...` line in the README runs as written (in order, in a copy of the samples). */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCbp, tempFolder } from './cli/run-cbp';

const ROOT = join(__dirname, '..');

/** Splits a shell line into words, honouring double quotes. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

describe('README commands', () => {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .map((l) => (l.startsWith('npm ci && npx cbp') ? l.replace('npm ci && ', '') : l))
    .filter((l) => l.startsWith('npx cbp '));

  it('has the examples', () => expect(lines.length).toBeGreaterThanOrEqual(10));

  it('runs every example successfully', async () => {
    const folder = tempFolder();
    cpSync(join(ROOT, 'samples'), join(folder, 'samples'), { recursive: true });
    for (const line of lines) {
      const run = await runCbp(shellWords(line).slice(2), folder);
      if (run.code !== 0) throw new Error(`${line}\n${run.stderr}`);
    }
  });
});
