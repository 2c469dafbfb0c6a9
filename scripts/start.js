#!/usr/bin/env node
/**
 * npm start / npm stop.
 * On Windows and macOS, when office-addin-debugging is installed (it is not a dependency of this
 * project: `npm i -D office-addin-debugging` to use it), this hands over to it exactly as
 * Microsoft's templates do: it starts the dev server, sideloads manifest.xml into desktop Excel
 * and opens it. Everywhere else (Linux has no desktop Excel), and when it is not installed, it
 * prints the steps for Excel on the web instead of failing.
 *
 * Usage: node scripts/start.js start|stop [desktop|web]
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

function hasDesktopExcel(platform = process.platform) {
  return platform === 'win32' || platform === 'darwin';
}

function debuggingToolInstalled() {
  try {
    require.resolve('office-addin-debugging/package.json', { paths: [ROOT] });
    return true;
  } catch {
    return false;
  }
}

function webInstructions(reason) {
  const built = fs.existsSync(path.join(ROOT, 'dist', 'addin', 'manifest.prod.xml'));
  return `Customer Budget Planner — ${reason}

Use Excel on the web instead (any OS, a Microsoft 365 account):

  1. Start the dev server in this folder and leave it running:
       npm run dev-server
     It serves https://localhost:3000/ with a development certificate from
     office-addin-dev-certs. Open https://localhost:3000/taskpane.html once in the same browser
     and accept the certificate if the browser asks.
  2. Open a workbook at https://www.office.com (Excel), then
       Insert > Add-ins > Upload My Add-in (or Home > Add-ins > More Add-ins > Upload My Add-in)
     and choose:
       ${path.join(ROOT, 'manifest.xml')}
     (it points at https://localhost:3000/).
  3. Click Home > Budget Planner to open the task pane, or type =CBP.RFM( in a cell.

To try the production build instead, host dist/addin/ at your production URL (set CBP_ADDIN_URL
before \`npm run build\`) and upload dist/addin/manifest.prod.xml${built ? '' : ' (run `npm run build` first)'}.
Desktop sideloading and central deployment by an admin: see docs/excel-addin.md.
`;
}

function stopInstructions(reason) {
  return `Customer Budget Planner — ${reason}

Stop the dev server with Ctrl+C in its terminal. In Excel on the web an uploaded add-in stays
until the browser cache is cleared; clear it to remove the add-in.
`;
}

function runDebugging(command, target) {
  const args = ['--no-install', 'office-addin-debugging', command, 'manifest.xml'];
  if (target) args.push(target);
  const result = spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', args, { cwd: ROOT, stdio: 'inherit' });
  return result.status ?? 1;
}

function main([command = 'start', target]) {
  if (command !== 'start' && command !== 'stop') {
    console.error(`usage: node scripts/start.js start|stop [desktop|web] (got "${command}")`);
    return 2;
  }
  const desktop = hasDesktopExcel();
  const tool = debuggingToolInstalled();
  if (desktop && tool) return runDebugging(command, target);
  const reason = !desktop
    ? `desktop Excel does not run on ${process.platform}.`
    : 'office-addin-debugging is not installed (npm i -D office-addin-debugging to sideload automatically).';
  console.log(command === 'start' ? webInstructions(reason) : stopInstructions(reason));
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
module.exports = { main, hasDesktopExcel, webInstructions };
