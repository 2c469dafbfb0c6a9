/* eslint-disable no-undef */
/**
 * Excel add-in build, shaped like Microsoft's Yeoman templates (Excel-Custom-Functions-Shared and
 * Office-Addin-TaskPane-React):
 *   npm run build       production bundle in dist/addin/, manifest URLs rewritten to CBP_ADDIN_URL
 *   npm run build:dev   development bundle (source maps, readable code), URLs kept at localhost
 *   npm run dev-server  https://localhost:3000 with office-addin-dev-certs certificates
 * Output goes to dist/addin/ (not dist/, where `npm run build:cli` puts the command line).
 * A production build needs no certificate and no network: office-addin-dev-certs is loaded only
 * for `webpack serve`.
 */
const path = require('path');
const fs = require('fs');
const webpack = require('webpack');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const CustomFunctionsMetadataPlugin = require('custom-functions-metadata-plugin');
const { DEV_URL, productionUrl, rewriteDevUrls } = require('./scripts/lib/addin-urls');
const { localizeMetadata } = require('./scripts/lib/functions-l10n');

// CBP_ADDIN_OUTPUT_DIR lets tests build into a temporary folder.
const OUTPUT_DIR = path.resolve(process.env.CBP_ADDIN_OUTPUT_DIR || path.join(__dirname, 'dist', 'addin'));
const FUNCTIONS_SOURCE = './src/functions/functions.ts';
const FUNCTIONS_METADATA = 'functions.json';
/** Locale -> translation table and output file for the localised functions metadata. */
const FUNCTIONS_LOCALES = {
  'zh-CN': { table: './src/functions/functions.zh-CN.json', output: 'functions.zh-CN.json' },
};

async function getHttpsOptions() {
  // Required lazily: only the dev server needs (and may install) the development certificates.
  const devCerts = require('office-addin-dev-certs');
  const httpsOptions = await devCerts.getHttpsServerOptions();
  return { ca: httpsOptions.ca, key: httpsOptions.key, cert: httpsOptions.cert };
}

/**
 * Emits functions.<locale>.json next to the generated functions.json, and in production rewrites
 * the dev-server URLs (help links) in all of them. A function or parameter without a translation
 * fails the build, so the Chinese metadata can never silently fall behind.
 */
class FunctionsMetadataLocalesPlugin {
  constructor({ rewrite }) {
    this.rewrite = rewrite;
  }

  apply(compiler) {
    const name = 'FunctionsMetadataLocalesPlugin';
    compiler.hooks.thisCompilation.tap(name, (compilation) => {
      compilation.hooks.processAssets.tap({ name, stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        const asset = compilation.getAsset(FUNCTIONS_METADATA);
        if (!asset) return; // the metadata plugin already reported why
        const english = this.rewrite(asset.source.source().toString());
        compilation.updateAsset(FUNCTIONS_METADATA, new webpack.sources.RawSource(english));
        for (const [locale, { table, output }] of Object.entries(FUNCTIONS_LOCALES)) {
          const tablePath = path.resolve(__dirname, table);
          compilation.fileDependencies.add(tablePath);
          const { metadata, missing, stale } = localizeMetadata(JSON.parse(english), JSON.parse(fs.readFileSync(tablePath, 'utf8')));
          if (missing.length) compilation.errors.push(new webpack.WebpackError(`${table}: no ${locale} translation for ${missing.join(', ')}`));
          if (stale.length) compilation.warnings.push(new webpack.WebpackError(`${table}: translations for unknown functions ${stale.join(', ')}`));
          compilation.emitAsset(output, new webpack.sources.RawSource(JSON.stringify(metadata, null, 2)));
        }
      });
    });
  }
}

/**
 * Production: the last word on every emitted file (bundles, source maps, HTML, metadata, manifest,
 * help): the dev-server URL becomes the production URL, and a file that still names `localhost`
 * fails the build, so nothing in dist/addin can point Excel at a developer's machine.
 */
class ProductionOriginPlugin {
  constructor({ targetUrl }) {
    this.targetUrl = targetUrl;
  }

  apply(compiler) {
    const name = 'ProductionOriginPlugin';
    compiler.hooks.thisCompilation.tap(name, (compilation) => {
      compilation.hooks.processAssets.tap({ name, stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ANALYSE }, (assets) => {
        for (const file of Object.keys(assets)) {
          const source = compilation.getAsset(file).source.source();
          if (Buffer.isBuffer(source) && !/\.(js|map|json|html|xml|txt|css|svg)$/.test(file)) continue; // images
          const text = source.toString();
          // In JSON (source maps, metadata) the URL sits inside a string: write it escaped.
          const target = file.endsWith('.map') || file.endsWith('.json') ? JSON.stringify(this.targetUrl).slice(1, -1) : this.targetUrl;
          const rewritten = rewriteDevUrls(text, target);
          if (rewritten !== text) compilation.updateAsset(file, new webpack.sources.RawSource(rewritten));
          if (/localhost/i.test(rewritten)) compilation.errors.push(new webpack.WebpackError(`${file} still names localhost after the production URL rewrite`));
        }
      });
    });
  }
}

module.exports = async (env, options) => {
  const dev = options.mode === 'development';
  const serving = Boolean(env.WEBPACK_SERVE);
  const buildType = dev ? 'dev' : 'prod';
  const targetUrl = dev ? DEV_URL : productionUrl();
  const rewrite = (text) => (dev ? String(text) : rewriteDevUrls(text, targetUrl));

  return {
    devtool: 'source-map',
    entry: {
      // functions first: the shared runtime page registers CBP.* before the task pane renders.
      functions: FUNCTIONS_SOURCE,
      taskpane: './src/taskpane/index.tsx',
    },
    output: {
      path: OUTPUT_DIR,
      filename: '[name].js',
      devtoolModuleFilenameTemplate: 'webpack:///[resource-path]?[loaders]',
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'ts-loader',
            // transpileOnly: type checking is `npm run typecheck`; ES modules let webpack tree-shake Fluent UI.
            options: { transpileOnly: true, compilerOptions: { module: 'esnext', moduleResolution: 'node', sourceMap: true } },
          },
        },
      ],
    },
    plugins: [
      new CustomFunctionsMetadataPlugin({
        output: FUNCTIONS_METADATA,
        input: FUNCTIONS_SOURCE,
      }),
      new FunctionsMetadataLocalesPlugin({ rewrite }),
      ...(dev ? [] : [new ProductionOriginPlugin({ targetUrl })]),
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/taskpane/taskpane.html',
        // Shared runtime: one page loads both the custom functions and the task pane.
        chunks: ['functions', 'taskpane'],
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets/*.png', to: 'assets/[name][ext]' },
          { from: 'assets/icon.svg', to: 'assets/[name][ext]' },
          { from: 'src/functions/help.html', to: 'help.html', transform: (content) => rewrite(content) },
          {
            from: 'manifest*.xml',
            to: `[name].${buildType}[ext]`,
            transform: (content) => rewrite(content),
          },
        ],
      }),
    ],
    performance: {
      hints: dev ? false : 'warning',
      // Fluent UI v9 + React is about 400 KB minified; warn well before the pane gets slow to open.
      maxEntrypointSize: 1_000_000,
      maxAssetSize: 1_000_000,
    },
    devServer: {
      static: false,
      headers: { 'Access-Control-Allow-Origin': '*' },
      server: serving ? { type: 'https', options: await getHttpsOptions() } : 'http',
      port: Number(process.env.npm_package_config_dev_server_port || 3000),
      hot: false, // the shared runtime reloads as a whole; hot module replacement would re-register functions
    },
  };
};
