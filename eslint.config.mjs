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
  {
    files: ['src/warehouse/**/*.ts'],
    rules: {
      // SQL building is pure strings over the engine's definitions: no Node, no other layer.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'stream', 'util', 'crypto'], message: 'warehouse/ is pure: no Node built-ins.' },
            { group: ['../hosts/*', '../taskpane/*', '../cli/*', '../functions/*', '../workbook/*', '../runs/*', 'exceljs', 'office*', '@duckdb/*'], message: 'warehouse/ depends only on the engine.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'require'],
    },
  },
  {
    files: ['src/runs/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // The runs are host-neutral: they reach a document only through the PlannerHost they are given.
      'no-restricted-imports': ['error', { patterns: [{ group: ['../hosts/*', '../taskpane/*', '../cli/*', '../functions/*', 'exceljs', 'office*', 'react', 'react-dom', '@fluentui/*', 'node:*'], message: 'runs/ depends only on the engine, workbook and i18n; hosts implement runs/host.ts.' }] }],
      'no-restricted-globals': ['error', 'window', 'document', 'Office', 'Excel', 'SpreadsheetApp', 'PropertiesService', 'Session', 'HtmlService', 'Utilities', 'google', 'process', 'require'],
    },
  },
  {
    files: ['src/hosts/sheets/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // Apps Script: no Office.js, no Node, no DOM; the runs are shared, never copied.
      'no-restricted-imports': ['error', { patterns: [{ group: ['../excel/*', '../../taskpane/*', '../../cli/*', 'exceljs', 'office*', 'node:*'], message: 'The Sheets host implements runs/host.ts with Apps Script only.' }] }],
      'no-restricted-globals': ['error', 'window', 'document', 'Office', 'Excel', 'process', 'require'],
    },
  },
  {
    files: ['src/hosts/excel/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../sheets/*', '../../taskpane/*', '../../cli/*'], message: 'The Excel host implements runs/host.ts with Office.js only.' }] }],
      'no-restricted-globals': ['error', 'SpreadsheetApp', 'PropertiesService', 'Session', 'HtmlService', 'google'],
    },
  },
);
