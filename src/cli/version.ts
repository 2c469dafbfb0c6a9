/** The product version, from package.json (shown in plans, logs and `cbp --version`). */
export const VERSION: string = (() => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();
