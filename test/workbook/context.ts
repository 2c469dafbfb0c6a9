/** A fixed write context for sheet-layout tests (deterministic time and version). */
import type { WriteContext } from '../../src/workbook/plan-sheet';

export const writeContext = (overrides: Partial<WriteContext> = {}): WriteContext => ({
  locale: 'en',
  existingSheetNames: [],
  existingTableNames: [],
  writtenAt: '2026-01-05T09:00:00Z',
  productVersion: '0.1.0',
  source: "'Data'!A1:C5",
  ...overrides,
});
