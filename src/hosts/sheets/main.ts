/**
 * The entry of the Apps Script bundle (dist/sheets/Code.js). webpack keeps it in one global, CBP;
 * the build appends a top-level declaration for each custom function (with its @customfunction
 * JSDoc) and for each export of server.ts, calling into CBP.
 */
export { callCustomFunction } from './custom-functions';
export * as server from './server';
