/* eslint-disable no-undef */
/**
 * The Google Sheets sidebar: the task pane's React app with the google.script.run client, built
 * into ONE self-contained HTML file, dist/sheets/Sidebar.html (HtmlService serves a project file;
 * it cannot load the bundle from elsewhere). `npx webpack --config webpack.sidebar.config.js`.
 * CBP_SIDEBAR_OUTPUT_DIR lets tests build into a temporary folder.
 */
const path = require('path');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const HtmlInlineScriptPlugin = require('html-inline-script-webpack-plugin');

const OUTPUT_DIR = path.resolve(process.env.CBP_SIDEBAR_OUTPUT_DIR || path.join(__dirname, 'dist', 'sheets'));

module.exports = (_env, options = {}) => ({
  mode: options.mode || 'production',
  devtool: false,
  context: __dirname,
  entry: { sidebar: './src/sidebar/index.tsx' },
  output: { path: OUTPUT_DIR, filename: 'sidebar.js', clean: false },
  resolve: { extensions: ['.ts', '.tsx', '.js'] },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        exclude: /node_modules/,
        use: { loader: 'ts-loader', options: { transpileOnly: true, compilerOptions: { module: 'esnext', moduleResolution: 'node', sourceMap: false } } },
      },
    ],
  },
  plugins: [
    new HtmlWebpackPlugin({ template: './src/sidebar/sidebar.html', filename: 'Sidebar.html', inject: 'body', scriptLoading: 'blocking', chunks: ['sidebar'] }),
    new HtmlInlineScriptPlugin(),
  ],
  performance: { hints: false },
});
