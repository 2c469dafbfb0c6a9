/* eslint-disable no-undef */
/** `npm run push:sheets`: pushes dist/sheets with clasp, once .clasp.json names the script (see docs/google-sheets.md). */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const config = path.join(root, '.clasp.json');
if (!fs.existsSync(config)) {
  console.error('No .clasp.json: copy .clasp.json.example to .clasp.json and put your script ID in it (docs/google-sheets.md, "One-time setup").');
  process.exit(2);
}
const { rootDir } = JSON.parse(fs.readFileSync(config, 'utf8'));
if (path.resolve(root, rootDir || '.') !== path.join(root, 'dist', 'sheets')) {
  console.error(`.clasp.json: "rootDir" must be "dist/sheets" (it is ${JSON.stringify(rootDir)}), or clasp would push the sources instead of the build.`);
  process.exit(2);
}
const clasp = require.resolve('@google/clasp/build/src/index.js', { paths: [root] });
const run = spawnSync(process.execPath, [clasp, 'push', '--force'], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
