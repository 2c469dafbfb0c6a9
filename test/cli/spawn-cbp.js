/* eslint-disable @typescript-eslint/no-require-imports -- a plain Node script, run as is by the child process */
// Runs `cbp` from the TypeScript sources in a child process (argv after this file): for tests that
// need a real process (signals, exit codes).
'use strict';
require('./require-ts');
require('../../src/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
