import tseslint from 'typescript-eslint';

const otherLayers = ['**/workbook/**', '**/hosts/**', '**/taskpane/**', '**/functions/**', '**/cli/**', '**/i18n/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'samples/**', '*.config.js', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // The engine is pure: no Office, DOM, Node built-ins, UI or other layers.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'stream', 'util', 'crypto'], message: 'The engine is pure: no Node built-ins.' },
            { group: ['office*', '@microsoft/*', 'react', 'react-dom', '@fluentui/*', 'exceljs'], message: 'The engine is pure: no host or UI libraries.' },
            { group: otherLayers.map((p) => p.replace('**/', '../').replace('/**', '')).concat(otherLayers), message: 'The engine imports nothing from other layers.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'Office', 'Excel', 'process', 'require'],
    },
  },
  {
    files: ['src/functions/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../workbook/*', '../hosts/*', '../taskpane/*', '../cli/*'], message: 'functions/ imports only the engine (and i18n).' }] }],
    },
  },
  {
    files: ['src/workbook/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../hosts/*', '../taskpane/*', '../cli/*', '../functions/*', 'exceljs', 'office*'], message: 'workbook/ depends only on the engine.' }] }],
    },
  },
);
