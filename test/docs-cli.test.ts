/** docs/cli.md shows exactly what `cbp --help` and `cbp <command> --help` print (npm run docs:cli rewrites it). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCbp } from './cli/run-cbp';

const doc = readFileSync(join(__dirname, '..', 'docs', 'cli.md'), 'utf8');

/** The first fenced block after `marker` ('' for the first block of the file). */
function blockAfter(marker: string): string {
  const from = marker ? doc.indexOf(marker) : 0;
  expect(from).toBeGreaterThanOrEqual(0);
  const open = doc.indexOf('```\n', from) + 4;
  return doc.slice(open, doc.indexOf('```', open));
}

describe('docs/cli.md is the help text (run `npm run docs:cli` after changing an option)', () => {
  it.each([[''], ['rfm'], ['clv'], ['segment'], ['allocate'], ['plan'], ['variance'], ['sql']])('cbp %s --help', async (command) => {
    const run = await runCbp(command ? [command, '--help'] : ['--help']);
    expect(run.code).toBe(0);
    const text = run.stdout.endsWith('\n') ? run.stdout : `${run.stdout}\n`;
    expect(blockAfter(command ? `## cbp ${command}\n` : '')).toBe(text);
  });
});
