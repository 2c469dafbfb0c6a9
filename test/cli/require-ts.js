/* eslint-disable @typescript-eslint/no-require-imports -- a plain Node script, required by the plain scripts beside it */
// Lets a plain Node process (a child process, a worker thread) require the TypeScript sources,
// compiling each module with SWC on require, as Jest does.
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
