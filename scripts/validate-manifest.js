#!/usr/bin/env node
/**
 * npm run validate: offline structural check of manifest.xml (and of the built
 * dist/addin/manifest.*.xml when present). Exits 1 on any error. This replaces
 * `office-addin-manifest validate`, which needs Microsoft's online service; run that one too
 * before publishing to AppSource if you have network access.
 *
 * Usage: node scripts/validate-manifest.js [manifest.xml ...]
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { checkManifest } = require('./lib/manifest-check');
const { DEV_URL } = require('./lib/addin-urls');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist', 'addin');

/** Files a dev-server URL points at: assets come from the repo, the rest from the build. */
function missingFiles(facts) {
  const missing = [];
  for (const { url } of facts.urls ?? []) {
    if (!url.startsWith(DEV_URL)) continue;
    const relative = url.slice(DEV_URL.length).split(/[?#]/)[0];
    const inRepo = path.join(ROOT, relative);
    const inDist = path.join(DIST, relative);
    if (relative.startsWith('assets/') ? !fs.existsSync(inRepo) : fs.existsSync(DIST) && !fs.existsSync(inDist)) {
      missing.push(relative);
    }
  }
  return [...new Set(missing)];
}

function validate(file) {
  const result = checkManifest(fs.readFileSync(file, 'utf8'));
  const missing = missingFiles(result.facts);
  for (const m of missing) result.errors.push(`${m} is referenced but not found (assets/ in the repo, the rest in dist/addin after npm run build)`);
  const label = path.relative(process.cwd(), file) || file;
  for (const w of result.warnings) console.log(`${label}: warning: ${w}`);
  for (const e of result.errors) console.log(`${label}: error: ${e}`);
  if (!result.errors.length) {
    const f = result.facts;
    console.log(`${label}: OK — id ${f.id}, namespace ${f.namespace}, shared runtime ${f.runtimeUrl}, ${(f.urls ?? []).length} https URLs`);
  }
  return result.errors.length === 0;
}

function main(args) {
  const files = args.length ? args : ['manifest.xml'];
  if (!args.length && fs.existsSync(DIST)) {
    for (const name of fs.readdirSync(DIST)) if (/^manifest.*\.xml$/.test(name)) files.push(path.join(DIST, name));
  }
  let ok = true;
  for (const file of files) {
    if (!fs.existsSync(file)) {
      console.log(`${file}: error: file not found`);
      ok = false;
      continue;
    }
    ok = validate(path.resolve(file)) && ok;
  }
  process.exitCode = ok ? 0 : 1;
}

main(process.argv.slice(2));
