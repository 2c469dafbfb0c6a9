/**
 * CSV reading and writing for the `cbp` command. Reads RFC 4180 CSV (quoted fields, doubled quotes,
 * CRLF or LF, a UTF-8 BOM, comma, semicolon or tab delimiters) column by column, keeping every field
 * as text: the engine's readers decide what is a date, an amount or a customer id ("00042" stays
 * "00042").
 */

export interface CsvTable {
  header: string[];
  /** columns[c][r]: the field of data row r (0-based, header excluded) in column c. */
  columns: string[][];
  rowCount: number;
}

/** Picks the delimiter that splits the first line into the most fields. */
export function detectDelimiter(firstLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t']) {
    const count = firstLine.split(candidate).length;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** Parses CSV text into columns. Fully blank lines are dropped; short rows are padded with ''. */
export function parseCsv(text: string, delimiter?: string): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstBreak = body.search(/\r?\n/);
  const sep = delimiter ?? detectDelimiter(firstBreak < 0 ? body : body.slice(0, firstBreak));
  const sepCode = sep.charCodeAt(0);
  const columns: string[][] = [];
  let header: string[] | undefined;
  let row: string[] = [];
  let rowCount = 0;
  const length = body.length;
  let i = 0;

  const endRow = () => {
    const blank = row.length === 1 && row[0] === '';
    if (!blank) {
      if (!header) {
        header = row.map((h) => h.trim());
        for (let c = 0; c < header.length; c++) columns.push([]);
      } else {
        for (let c = 0; c < columns.length; c++) columns[c].push(c < row.length ? row[c] : '');
        rowCount++;
      }
    }
    row = [];
  };

  while (i <= length) {
    if (i === length) {
      if (row.length > 0) endRow();
      break;
    }
    let field: string;
    if (body.charCodeAt(i) === 34 /* " */) {
      let start = i + 1;
      let value = '';
      for (;;) {
        const quote = body.indexOf('"', start);
        if (quote < 0) {
          value += body.slice(start);
          i = length;
          break;
        }
        value += body.slice(start, quote);
        if (body.charCodeAt(quote + 1) === 34) {
          value += '"';
          start = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
      let end = i;
      while (end < length && body.charCodeAt(end) !== sepCode && body.charCodeAt(end) !== 10 && body.charCodeAt(end) !== 13) end++;
      field = value + body.slice(i, end);
      i = end;
    } else {
      let end = i;
      while (end < length) {
        const code = body.charCodeAt(end);
        if (code === sepCode || code === 10 || code === 13) break;
        end++;
      }
      field = body.slice(i, end);
      i = end;
    }
    row.push(field);
    if (i >= length) {
      endRow();
      break;
    }
    const code = body.charCodeAt(i);
    if (code === sepCode) {
      i++;
      if (i === length) {
        row.push('');
        endRow();
        break;
      }
    } else {
      i += code === 13 && body.charCodeAt(i + 1) === 10 ? 2 : 1;
      endRow();
    }
  }
  return { header: header ?? [], columns, rowCount };
}

/** Rows (header first) from a parsed table, for callers that want CellValue[][]. */
export function csvTableToRows(table: CsvTable): string[][] {
  const rows: string[][] = [table.header];
  for (let r = 0; r < table.rowCount; r++) rows.push(table.columns.map((column) => column[r]));
  return rows;
}

function quoteField(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export type CsvField = string | number | boolean | null | undefined;

/** One CSV line (no line break). Numbers are written in full, never in exponent form for money. */
export function formatCsvLine(fields: readonly CsvField[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line += ',';
    const f = fields[i];
    line += f === null || f === undefined ? '' : typeof f === 'string' ? quoteField(f) : String(f);
  }
  return line;
}

/** A whole CSV document with LF line endings and a trailing newline. */
export function formatCsv(header: readonly string[], rows: readonly (readonly CsvField[])[]): string {
  const lines = new Array<string>(rows.length + 1);
  lines[0] = formatCsvLine(header);
  for (let r = 0; r < rows.length; r++) lines[r + 1] = formatCsvLine(rows[r]);
  return lines.join('\n') + '\n';
}
