/**
 * Localised custom-function metadata. Excel localises custom functions by loading a different
 * metadata JSON per UI language: the manifest's Functions.Metadata.Url has a
 * <bt:Override Locale="zh-CN" Value=".../functions.zh-CN.json"/>. The English functions.json is
 * generated from the JSDoc in src/functions/functions.ts; this module derives the Chinese file from
 * it and a translation table (src/functions/functions.zh-CN.json), so ids, types, dimensionality
 * and optionality can never drift between the two. Only names and descriptions change; ids do not
 * (Excel stores formulas by id, so a workbook opens in either language).
 */
'use strict';

/**
 * Applies a translation table { [functionId]: { name, description, parameters: { [paramName]:
 * { name, description } } } } to generated metadata. Returns the localised metadata and the list of
 * functions or parameters the table does not cover (a build treats any as an error).
 */
function localizeMetadata(metadata, table) {
  const missing = [];
  const functions = metadata.functions.map((fn) => {
    const entry = table[fn.id];
    if (!entry || !entry.name || !entry.description) {
      missing.push(fn.id);
      return fn;
    }
    const parameters = (fn.parameters || []).map((p) => {
      const translated = entry.parameters && entry.parameters[p.name];
      if (!translated || !translated.name || !translated.description) {
        missing.push(`${fn.id}(${p.name})`);
        return p;
      }
      return { ...p, name: translated.name, description: translated.description };
    });
    return { ...fn, name: entry.name, description: entry.description, parameters };
  });
  const known = new Set(metadata.functions.map((fn) => fn.id));
  const stale = Object.keys(table).filter((id) => !known.has(id));
  return { metadata: { ...metadata, functions }, missing, stale };
}

module.exports = { localizeMetadata };
