/**
 * Reads a transaction CSV straight from its bytes into the engine's `Transactions`, without making
 * a string per field: the hot path of `cbp rfm` and `cbp clv` on million-row files. Plain fields
 * (ISO dates, plain decimal amounts, unquoted ids) are decoded here; anything else is decoded to
 * text and handed to the engine's own readers, so both paths give identical results and messages.
 */
import { InputError } from '../engine/errors';
import { epochDaysFromCivil, isValidCivilDate, readDate } from '../engine/dates';
import { minorPerMajor, readMoney } from '../engine/money';
import { ColumnOverrides, resolveColumns } from '../engine/headers';
import { ReadOptions, skippedRow, Transactions } from '../engine/transactions';
import { parseCsv } from './csv';
import { ByteKeyTable } from './byte-keys';
import { grownArray } from '../engine/typed-arrays';

const QUOTE = 34;
const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;

interface FieldSpans {
  starts: Int32Array;
  ends: Int32Array;
  quoted: Uint8Array;
}

/** The delimiter and header come from the first line; parsed with the general CSV parser. */
function readHeader(bytes: Buffer): { header: string[]; delimiter: number; bodyStart: number } {
  let end = bytes.indexOf(LF);
  if (end < 0) end = bytes.length;
  const firstLine = bytes.toString('utf8', 0, end).replace(/^\ufeff/, '');
  const table = parseCsv(firstLine);
  const delimiter = [',', ';', '\t'].find((d) => firstLine.includes(d) && table.header.length === firstLine.split(d).length) ?? ',';
  return { header: table.header, delimiter: delimiter.charCodeAt(0), bodyStart: Math.min(bytes.length, end + 1) };
}

/** Decodes one field as the general parser would: unquoted as is, quoted without quotes and with "" as ". */
function fieldText(bytes: Buffer, start: number, end: number, quoted: boolean): string {
  if (!quoted) return bytes.toString('utf8', start, end);
  const raw = bytes.toString('utf8', start, end);
  const close = raw.lastIndexOf('"');
  return raw.slice(1, close > 0 ? close : raw.length).replace(/""/g, '"') + (close > 0 ? raw.slice(close + 1) : '');
}

function isBlankSpan(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== SPACE && bytes[i] !== TAB) return false;
  return true;
}

/** A record whose wanted fields are all blank is skipped, as blank rows are. */
function isBlankRecord(bytes: Buffer, spans: FieldSpans, hasOrder: boolean): boolean {
  for (let c = 0; c < (hasOrder ? 4 : 3); c++) if (!isBlankSpan(bytes, spans.starts[c], spans.ends[c])) return false;
  return true;
}

/** yyyy-mm-dd (or / or .) in exactly ten bytes, as epoch days; undefined for anything else. */
function fastIsoDate(bytes: Buffer, start: number, end: number): number | undefined {
  if (end - start !== 10) return undefined;
  const sep = bytes[start + 4];
  if ((sep !== 45 && sep !== 47 && sep !== 46) || bytes[start + 7] !== sep) return undefined;
  let year = 0;
  for (let i = start; i < start + 4; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) return undefined;
    year = year * 10 + d;
  }
  const m1 = bytes[start + 5] - 48;
  const m2 = bytes[start + 6] - 48;
  const d1 = bytes[start + 8] - 48;
  const d2 = bytes[start + 9] - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return undefined;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  return isValidCivilDate(year, month, day) ? epochDaysFromCivil(year, month, day) : undefined;
}

/** -?digits(.digits)? as integer minor units, rounding half away from zero like readMoney. */
function fastAmount(bytes: Buffer, start: number, end: number, minorDigits: number): number | undefined {
  let i = start;
  const negative = bytes[i] === 45;
  if (negative) i++;
  let whole = 0;
  let digits = 0;
  while (i < end && bytes[i] >= 48 && bytes[i] <= 57) {
    whole = whole * 10 + (bytes[i++] - 48);
    digits++;
  }
  let fraction = 0;
  let fractionDigits = 0;
  let roundUp = false;
  if (i < end && bytes[i] === 46) {
    i++;
    while (i < end && bytes[i] >= 48 && bytes[i] <= 57) {
      const d = bytes[i++] - 48;
      if (fractionDigits < minorDigits) fraction = fraction * 10 + d;
      else if (fractionDigits === minorDigits) roundUp = d >= 5;
      fractionDigits++;
      digits++;
    }
  }
  if (i !== end || digits === 0 || digits > 15) return undefined;
  for (let k = Math.min(fractionDigits, minorDigits); k < minorDigits; k++) fraction *= 10;
  const minor = whole * minorPerMajor(minorDigits) + fraction + (roundUp ? 1 : 0);
  return negative && minor !== 0 ? -minor : minor;
}

export interface CsvTransactionOptions extends ReadOptions {
  columns?: ColumnOverrides;
  useOrderIds?: boolean;
  /** Called every PROGRESS_EVERY_RECORDS records with the records read and the fraction of bytes read. */
  onProgress?: (records: number, fraction: number) => void;
}

/** How often readTransactionsCsv reports progress (a power of two, tested with a mask). */
const PROGRESS_EVERY_RECORDS = 1 << 16;

/** Where the wanted columns sit in a transaction CSV, found from its header row. */
export interface TransactionLayout {
  delimiter: number;
  /** Per field index: its wanted slot (0 customer, 1 date, 2 amount, 3 order id), or -1. */
  slotOfField: Int8Array;
  hasOrder: boolean;
  /** The headers of the wanted columns, for messages. */
  names: { customer: string; date: string; amount: string; order: string };
  minorDigits: number;
}

/** The layout from the header row of `bytes` (UTF-8 without a BOM) and where the data rows start. */
export function readTransactionLayout(bytes: Buffer, options: CsvTransactionOptions = {}): { layout: TransactionLayout; bodyStart: number } {
  const { header, delimiter, bodyStart } = readHeader(bytes);
  if (header.length === 0 || bodyStart >= bytes.length && header.every((h) => h === '')) {
    throw new InputError('no-data', 'the file is empty; it needs a header row and data rows');
  }
  const at = resolveColumns(header, ['customer', 'date', 'amount'] as const, options.useOrderIds === false ? [] : ['orderId'], options.columns);
  const wanted = [at.customer, at.date, at.amount, at.orderId ?? -1];
  const slotOfField = new Int8Array(header.length + 1).fill(-1);
  wanted.forEach((field, slot) => {
    if (field >= 0) slotOfField[field] = slot;
  });
  const names = { customer: header[at.customer], date: header[at.date], amount: header[at.amount], order: at.orderId !== undefined ? header[at.orderId] : '' };
  return { layout: { delimiter, slotOfField, hasOrder: at.orderId !== undefined, names, minorDigits: options.minorDigits ?? 2 }, bodyStart };
}

/**
 * The rows of one run of whole records, with customer and order ids interned per batch (the
 * tables point into the batch's bytes). Row numbers count records from `recordsBefore` + 1.
 */
export interface RecordBatch {
  customers: ByteKeyTable;
  orders?: ByteKeyTable;
  customerIndex: Int32Array;
  dates: Int32Array;
  amountsMinor: Float64Array;
  sourceRows: Int32Array;
  orderIndex?: Int32Array;
  /** Rows kept: the arrays above hold `kept` entries. */
  kept: number;
  /** Records read, blank ones included. */
  records: number;
  skipped: InputError[];
  /** The bytes ended inside a quoted field: they did not end at a record boundary. */
  endedInQuote: boolean;
  /** With orderKeys 'bytes': each kept row's order id, as bytes (row k: orderBytes[orderEnds[k-1], orderEnds[k])) and their FNV-1a hash. */
  orderBytes?: Uint8Array;
  orderEnds?: Int32Array;
  orderHashes?: Uint32Array;
}

/** What a batch keeps of the order ids: interned (ids per row) or each row's bytes and hash (for counting distinct pairs elsewhere). */
export type OrderKeyMode = 'intern' | 'bytes';

/** Reads the records of bytes[start, end) (end: a record boundary or the end of the file). */
/** `lineBreaks`: the line breaks from `start` on when the caller has counted them (the rows to make room for). */
export function readRecordBatch(bytes: Buffer, start: number, layout: TransactionLayout, options: CsvTransactionOptions = {}, recordsBefore = 1, orderKeys: OrderKeyMode = 'intern', lineBreaks?: number): RecordBatch {
  const { delimiter, slotOfField, hasOrder, names, minorDigits } = layout;
  const internOrders = hasOrder && orderKeys === 'intern';
  const keepOrderBytes = hasOrder && orderKeys === 'bytes';
  const spans: FieldSpans = { starts: new Int32Array(4), ends: new Int32Array(4), quoted: new Uint8Array(4) };

  let capacity = Math.max(16, (lineBreaks ?? countLineBreaks(bytes, start)) + 1);
  let customerIndex = new Int32Array(capacity);
  let dates = new Int32Array(capacity);
  let amountsMinor = new Float64Array(capacity);
  let sourceRows = new Int32Array(capacity);
  let orderIndex = internOrders ? new Int32Array(capacity) : undefined;
  const customers = new ByteKeyTable(1 << 12);
  const orders = new ByteKeyTable(internOrders ? capacity : 16);
  let orderEnds = keepOrderBytes ? new Int32Array(capacity) : undefined;
  let orderHashes = keepOrderBytes ? new Uint32Array(capacity) : undefined;
  let orderBytes = keepOrderBytes ? Buffer.allocUnsafe(capacity * 12) : undefined;
  let orderBytesUsed = 0;

  /** Appends the order id of the current record to orderBytes; its FNV-1a hash. */
  const keepOrderKey = (): number => {
    let from = spans.starts[3];
    let to = spans.ends[3];
    let source: Uint8Array = bytes;
    const plain = !spans.quoted[3] && to > from && bytes[from] !== SPACE && bytes[to - 1] !== SPACE && bytes[from] !== TAB && bytes[to - 1] !== TAB;
    if (!plain) {
      source = Buffer.from(fieldText(bytes, from, to, spans.quoted[3] === 1).trim());
      from = 0;
      to = source.length;
    }
    if (orderBytesUsed + to - from > orderBytes!.length) {
      const grown = Buffer.allocUnsafe(Math.max(orderBytes!.length * 2, orderBytesUsed + to - from));
      orderBytes!.copy(grown, 0, 0, orderBytesUsed);
      orderBytes = grown;
    }
    const target = orderBytes!;
    let hash = 0x811c9dc5;
    for (let k = from; k < to; k++) {
      target[orderBytesUsed++] = source[k];
      hash = Math.imul(hash ^ source[k], 0x01000193);
    }
    return hash >>> 0;
  };

  const skipped: InputError[] = [];
  let kept = 0;
  let record = recordsBefore;
  let endedInQuote = false;

  const internKey = (table: ByteKeyTable, c: number): number => {
    const from = spans.starts[c];
    const to = spans.ends[c];
    const plain = !spans.quoted[c] && to > from && bytes[from] !== SPACE && bytes[to - 1] !== SPACE && bytes[from] !== TAB && bytes[to - 1] !== TAB;
    if (plain) return table.intern(bytes, from, to);
    const text = fieldText(bytes, from, to, spans.quoted[c] === 1).trim();
    return table.internText(text);
  };

  const assertKeyPresent = (c: number, row: number, column: string, what: string): void => {
    const from = spans.starts[c];
    const to = spans.ends[c];
    const blank = spans.quoted[c] ? fieldText(bytes, from, to, true).trim() === '' : isBlankSpan(bytes, from, to);
    if (blank) throw new InputError('missing-value', `the ${what} is blank; fill it in or delete the row`, { row, column }, '');
  };

  let i = start;
  const length = bytes.length;
  while (i < length) {
    record++;
    if ((record & (PROGRESS_EVERY_RECORDS - 1)) === 0) options.onProgress?.(record - 1, i / length);
    // Split one record, remembering the spans of the wanted columns.
    spans.starts.fill(-1);
    let field = 0;
    for (;;) {
      const fieldStart = i;
      let quoted = 0;
      if (bytes[i] === QUOTE) {
        quoted = 1;
        i++;
        for (;;) {
          const close = bytes.indexOf(QUOTE, i);
          if (close < 0) {
            i = length;
            endedInQuote = true;
            break;
          }
          if (bytes[close + 1] === QUOTE) i = close + 2;
          else {
            i = close + 1;
            break;
          }
        }
      }
      while (i < length && bytes[i] !== delimiter && bytes[i] !== LF && bytes[i] !== CR) i++;
      const slot = field < slotOfField.length ? slotOfField[field] : -1;
      if (slot >= 0) {
        spans.starts[slot] = fieldStart;
        spans.ends[slot] = i;
        spans.quoted[slot] = quoted;
      }
      field++;
      if (i < length && bytes[i] === delimiter) {
        i++;
        continue;
      }
      if (i < length && bytes[i] === CR) i++;
      if (i < length && bytes[i] === LF) i++;
      break;
    }
    for (let c = 0; c < 4; c++) if (spans.starts[c] < 0) spans.starts[c] = spans.ends[c] = 0;
    if (isBlankRecord(bytes, spans, hasOrder)) continue;
    try {
      const row = record;
      // Check every field before interning keys, so a skipped row leaves no customer behind.
      assertKeyPresent(0, row, names.customer, 'customer');
      const date =
        (spans.quoted[1] ? undefined : fastIsoDate(bytes, spans.starts[1], spans.ends[1])) ??
        readDate(fieldText(bytes, spans.starts[1], spans.ends[1], spans.quoted[1] === 1), { row, column: names.date }, options);
      const amount =
        (spans.quoted[2] ? undefined : fastAmount(bytes, spans.starts[2], spans.ends[2], minorDigits)) ??
        readMoney(fieldText(bytes, spans.starts[2], spans.ends[2], spans.quoted[2] === 1), { row, column: names.amount }, options);
      if (hasOrder) assertKeyPresent(3, row, names.order, 'order id');
      const customer = internKey(customers, 0);
      const order = internOrders ? internKey(orders, 3) : -1;
      if (kept === capacity) {
        capacity *= 2;
        customerIndex = grownArray(customerIndex, capacity);
        dates = grownArray(dates, capacity);
        sourceRows = grownArray(sourceRows, capacity);
        amountsMinor = grownArray(amountsMinor, capacity);
        if (orderIndex) orderIndex = grownArray(orderIndex, capacity);
        if (orderEnds) orderEnds = grownArray(orderEnds, capacity);
        if (orderHashes) orderHashes = grownArray(orderHashes, capacity);
      }
      customerIndex[kept] = customer;
      dates[kept] = date;
      amountsMinor[kept] = amount;
      sourceRows[kept] = row;
      if (orderIndex) orderIndex[kept] = order;
      if (orderHashes && orderEnds) {
        orderHashes[kept] = keepOrderKey();
        orderEnds[kept] = orderBytesUsed;
      }
      kept++;
    } catch (error) {
      if (!options.skipInvalid || !(error instanceof InputError)) throw error;
      skipped.push(error);
    }
  }
  const orderKeyBytes = orderBytes && orderEnds && orderHashes ? { orderBytes: orderBytes.subarray(0, orderBytesUsed), orderEnds, orderHashes } : {};
  return { customers, ...(internOrders ? { orders, orderIndex } : {}), ...orderKeyBytes, customerIndex, dates, amountsMinor, sourceRows, kept, records: record - recordsBefore, skipped, endedInQuote };
}

/** Reads a whole transaction CSV file's bytes (header row first). */
export function readTransactionsCsv(bytes: Buffer, options: CsvTransactionOptions = {}): Transactions {
  const { layout, bodyStart } = readTransactionLayout(bytes, options);
  const batch = readRecordBatch(bytes, bodyStart, layout, options);
  const customerIds = new Array<string>(batch.customers.size);
  for (let id = 0; id < batch.customers.size; id++) customerIds[id] = batch.customers.keyText(id);
  const result: Transactions = {
    customerIds,
    customerIndex: batch.customerIndex.subarray(0, batch.kept),
    dates: batch.dates.subarray(0, batch.kept),
    amountsMinor: batch.amountsMinor.subarray(0, batch.kept),
    sourceRows: batch.sourceRows.subarray(0, batch.kept),
    skipped: batch.skipped.map(skippedRow),
  };
  if (batch.orderIndex) {
    result.orderIndex = batch.orderIndex.subarray(0, batch.kept); // order ids are only compared, never shown
  }
  return result;
}

/** Line breaks from `start` on: the row count when no quoted field spans lines (the usual case). */
export function countLineBreaks(bytes: Buffer, start: number): number {
  let count = 0;
  for (let at = bytes.indexOf(LF, start); at >= 0; at = bytes.indexOf(LF, at + 1)) count++;
  return count;
}
