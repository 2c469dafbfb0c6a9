/* eslint-disable no-undef */
/**
 * Top-level declarations for Code.js. Apps Script only sees functions declared at the top level
 * of the script, and Sheets builds a custom function's autocomplete and help from its JSDoc, so
 * each custom function gets a stub with a @customfunction block generated from the same metadata
 * as Excel's functions.json; each server function (the menu, the sidebar's calls) a plain stub.
 * The stubs call into the bundle, which webpack keeps in the global `CBP`.
 */
const fs = require('fs');

const BUNDLE_GLOBAL = 'CBP';

/** One JSDoc line: no "*\/" inside, no line breaks. */
function docText(text) {
  return String(text || '').replace(/\*\//g, '* /').replace(/\s+/g, ' ').trim();
}

function customFunctionStub(fn) {
  const names = fn.parameters.map((p) => p.name);
  const dims = fn.parameters.map((p) => (p.dimensionality === 'matrix' ? 'matrix' : 'scalar'));
  const params = fn.parameters.map((p) => {
    const type = p.dimensionality === 'matrix' ? 'any[][]' : 'any';
    const name = p.optional ? `[${p.name}]` : p.name;
    return ` * @param {${type}} ${name} ${docText(p.description)}`;
  });
  return [
    '/**',
    ` * ${docText(fn.description)}`,
    ...params,
    ' * @return {any[][]} The result table (it spills into the cells below and to the right).',
    ' * @customfunction',
    ' */',
    `function ${fn.id}(${names.join(', ')}) {`,
    `  return ${BUNDLE_GLOBAL}.callCustomFunction(${JSON.stringify(fn.id)}, ${JSON.stringify(dims)}, [${names.join(', ')}]);`,
    '}',
  ].join('\n');
}

function serverFunctionStub(name) {
  return [`/** Server function (menu or sidebar): see src/hosts/sheets/server.ts. */`, `function ${name}(argument) {`, `  return ${BUNDLE_GLOBAL}.server.${name}(argument);`, '}'].join('\n');
}

/** The names of the functions server.ts exports: each becomes a top-level declaration. */
function serverFunctionNames(serverSourcePath) {
  const source = fs.readFileSync(serverSourcePath, 'utf8');
  return [...source.matchAll(/^export function (\w+)\s*\(/gm)].map((m) => m[1]);
}

function appsScriptStubs(metadata, serverNames) {
  return [...metadata.functions.map(customFunctionStub), ...serverNames.map(serverFunctionStub)].join('\n\n') + '\n';
}

module.exports = { BUNDLE_GLOBAL, appsScriptStubs, serverFunctionNames };
