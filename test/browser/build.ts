/**
 * Builds the browser test page (test/browser/harness.tsx + index.html) with webpack's Node API into
 * a folder: development mode, no source maps, ts-loader in transpile-only mode (types are checked
 * by `npm run typecheck`). The sample CSVs are inlined: the first rows of samples/*.csv.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import webpack from 'webpack';

const ROOT = resolve(__dirname, '..', '..');

/** The header and the first `rows` data rows of a CSV file. */
function firstRows(path: string, rows: number): string {
  return readFileSync(join(ROOT, path), 'utf8')
    .split(/\r?\n/)
    .slice(0, rows + 1)
    .join('\n');
}

const PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="UTF-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><title>Task pane test</title>
  <style>body { margin: 0; font-family: 'Segoe UI', system-ui, sans-serif; }</style></head>
  <body><div id="container"></div><script src="harness.js"></script></body>
</html>
`;

export async function buildHarness(
  outDir: string,
  options: { transactionRows?: number; actualRows?: number } = {},
): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'index.html'), PAGE);
  const compiler = webpack({
    mode: 'development',
    devtool: false,
    context: ROOT,
    entry: { harness: './test/browser/harness.tsx' },
    output: { path: outDir, filename: '[name].js' },
    resolve: { extensions: ['.ts', '.tsx', '.js'] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'ts-loader',
            options: {
              transpileOnly: true,
              compilerOptions: { module: 'esnext', moduleResolution: 'node', sourceMap: false },
            },
          },
        },
      ],
    },
    plugins: [
      new webpack.DefinePlugin({
        CBP_TRANSACTIONS_CSV: JSON.stringify(
          firstRows('samples/transactions.csv', options.transactionRows ?? 400),
        ),
        CBP_ACTUALS_CSV: JSON.stringify(firstRows('samples/actuals.csv', options.actualRows ?? 300)),
        'process.env.NODE_ENV': JSON.stringify('development'),
      }),
    ],
    performance: { hints: false },
    infrastructureLogging: { level: 'error' },
  });
  await new Promise<void>((done, fail) => {
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error) return fail(error);
      if (stats?.hasErrors()) return fail(new Error(stats.toString({ all: false, errors: true })));
      done();
    });
  });
}
