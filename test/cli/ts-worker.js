/* eslint-disable @typescript-eslint/no-require-imports -- a plain Node script, run as a worker thread */
// The streaming reader's worker from the TypeScript sources, compiled with SWC on require as Jest
// does: lets tests run src/cli/csv-stream.ts with real worker threads (production runs dist/cli/csv-worker.js).
'use strict';
const { transformSync } = require('@swc/core');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(join(__dirname, '..', '..', 'src', 'cli', 'csv-worker.ts'));
