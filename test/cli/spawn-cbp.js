/* eslint-disable @typescript-eslint/no-require-imports -- a plain Node script, run as is by the child process */
// Runs `cbp` from the TypeScript sources in a child process (argv after this file), compiling each
// module with SWC on require, as Jest does: for tests that need a real process (signals, exit codes).
'use strict';
const { transformSync } = require('@swc/core');
const { readFileSync } = require('node:fs');
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require('../../src/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
