/* eslint-disable @typescript-eslint/no-require-imports -- a plain Node script, run as a worker thread */
// The streaming reader's worker from the TypeScript sources: lets tests run src/cli/csv-stream.ts
// with real worker threads (production runs dist/cli/csv-worker.js).
'use strict';
require('./require-ts');
require('../../src/cli/csv-worker.ts');
