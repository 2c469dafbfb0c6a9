/* eslint-disable no-undef */
/**
 * The Google Sheets edition as an Apps Script project in dist/sheets/ (what `npm run push:sheets`
 * pushes with clasp): Code.js (the engine, the function layer, the run layer and the Sheets host
 * bundled for the V8 runtime, then the top-level declarations Apps Script needs), appsscript.json,
 * and Sidebar.html (built by webpack.sidebar.config.js). CBP_SHEETS_OUTPUT_DIR lets tests build
 * into a temporary folder.
 */
const path = require('path');
const webpack = require('webpack');
const { generateCustomFunctionsMetadata } = require('custom-functions-metadata');
const { BUNDLE_GLOBAL, appsScriptStubs, serverFunctionNames } = require('./scripts/lib/apps-script-stubs');

const OUTPUT_DIR = path.resolve(process.env.CBP_SHEETS_OUTPUT_DIR || path.join(__dirname, 'dist', 'sheets'));
const FUNCTIONS_SOURCE = path.join(__dirname, 'src/functions/functions.ts');
const SERVER_SOURCE = path.join(__dirname, 'src/hosts/sheets/server.ts');

/** The narrowest scopes that work: this spreadsheet only, and the menu and sidebar. */
const MANIFEST = {
  timeZone: 'Etc/UTC',
  runtimeVersion: 'V8',
  exceptionLogging: 'STACKDRIVER',
  oauthScopes: ['https://www.googleapis.com/auth/spreadsheets.currentonly', 'https://www.googleapis.com/auth/script.container.ui'],
};

class AppsScriptStubsPlugin {
  apply(compiler) {
    const name = 'AppsScriptStubsPlugin';
    compiler.hooks.thisCompilation.tap(name, (compilation) => {
      compilation.fileDependencies.add(FUNCTIONS_SOURCE);
      compilation.fileDependencies.add(SERVER_SOURCE);
      compilation.hooks.processAssets.tapPromise({ name, stage: webpack.Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_INLINE }, async () => {
        const generated = await generateCustomFunctionsMetadata([FUNCTIONS_SOURCE], false);
        if (generated.errors && generated.errors.length) {
          for (const message of generated.errors) compilation.errors.push(new webpack.WebpackError(String(message)));
          return;
        }
        const stubs = appsScriptStubs(JSON.parse(generated.metadataJson), serverFunctionNames(SERVER_SOURCE));
        const bundle = compilation.getAsset('Code.js').source.source().toString();
        compilation.updateAsset('Code.js', new webpack.sources.RawSource(`${bundle}\n\n${stubs}`));
        compilation.emitAsset('appsscript.json', new webpack.sources.RawSource(JSON.stringify(MANIFEST, null, 2) + '\n'));
      });
    });
  }
}

module.exports = (_env, options = {}) => ({
  mode: options.mode || 'production',
  devtool: false,
  context: __dirname,
  target: ['web', 'es2020'],
  entry: { Code: './src/hosts/sheets/main.ts' },
  output: {
    path: OUTPUT_DIR,
    filename: 'Code.js',
    library: { type: 'var', name: BUNDLE_GLOBAL },
    clean: false,
  },
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        use: { loader: 'ts-loader', options: { transpileOnly: true, compilerOptions: { module: 'esnext', moduleResolution: 'node', sourceMap: false } } },
      },
    ],
  },
  // Custom functions read only the top-level names: keep the bundle readable enough to debug in the Apps Script editor.
  optimization: { minimize: false },
  plugins: [new AppsScriptStubsPlugin()],
  performance: { hints: false },
});
