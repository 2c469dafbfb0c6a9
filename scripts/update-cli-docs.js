#!/usr/bin/env node
/**
 * Rewrites the help blocks of docs/cli.md from `cbp --help` and `cbp <command> --help`
 * (`npm run docs:cli`, after `npm run build:cli`). test/docs-cli.test.ts fails when they differ.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { main } = require('../dist/cli/main');

const DOC = join(__dirname, '..', 'docs', 'cli.md');
const COMMANDS = ['rfm', 'clv', 'segment', 'allocate', 'plan', 'variance', 'sql'];

async function help(args) {
  let text = '';
  await main([...args, '--help'], { stdout: (t) => void (text += t), stderr: () => undefined, cwd: process.cwd() });
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Replaces the first fenced block after `marker` (or the first block of the file when marker is ''). */
function replaceBlock(doc, marker, body) {
  const from = marker ? doc.indexOf(marker) : 0;
  if (from < 0) throw new Error(`docs/cli.md has no section '${marker}'`);
  const open = doc.indexOf('```\n', from);
  const close = doc.indexOf('```', open + 4);
  return doc.slice(0, open + 4) + body + doc.slice(close);
}

(async () => {
  let doc = readFileSync(DOC, 'utf8');
  doc = replaceBlock(doc, '', await help([]));
  for (const command of COMMANDS) doc = replaceBlock(doc, `## cbp ${command}\n`, await help([command]));
  writeFileSync(DOC, doc);
  console.log('docs/cli.md updated');
})();
