/**
 * Where the add-in is served. The source manifest and functions metadata use the dev server
 * (https://localhost:3000/); a production build rewrites every occurrence to the production URL,
 * taken from the CBP_ADDIN_URL environment variable (default https://cbp.example.com/, a
 * placeholder to replace with the real host of dist/addin).
 */
'use strict';

const DEV_URL = 'https://localhost:3000/';
const DEFAULT_PROD_URL = 'https://cbp.example.com/';

/** The production base URL, always https and ending in '/'. Throws on anything else. */
function productionUrl(env = process.env) {
  const raw = (env.CBP_ADDIN_URL || DEFAULT_PROD_URL).trim();
  const url = raw.endsWith('/') ? raw : `${raw}/`;
  if (!/^https:\/\/[^\s/]+\/[^\s]*$/.test(url)) {
    throw new Error(`CBP_ADDIN_URL must be an https URL such as https://cbp.example.com/, got "${raw}"`);
  }
  return url;
}

/** Replaces every dev-server URL prefix in a text (manifest, functions.json) by `targetUrl`. */
function rewriteDevUrls(text, targetUrl) {
  return String(text).split(DEV_URL).join(targetUrl);
}

module.exports = { DEV_URL, DEFAULT_PROD_URL, productionUrl, rewriteDevUrls };
