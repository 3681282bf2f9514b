/**
 * A small RFC 4180 CSV reader: comma-separated fields, fields in double quotes
 * may hold commas, line breaks and doubled quotes (""), records end in CRLF or
 * LF (a lone CR too), a UTF-8 byte-order mark at the start is dropped.
 *
 * Rows are numbered as a spreadsheet shows them: the first record is row 1,
 * and a quoted field spanning several lines is still one row. Blank lines are
 * kept (as a record with one empty field) so the numbering matches the file.
 */

/** One record and the row number it has in the file. */
export interface CsvRecord {
  row: number;
  fields: string[];
}

/** The file is not well-formed CSV at `row`. */
export interface CsvSyntaxError {
  row: number;
  message: string;
}

export type CsvParseResult = { ok: true; records: CsvRecord[] } | { ok: false; error: CsvSyntaxError };

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;

/** Parses CSV text into records; the first malformed spot is an error naming its row. */
export function parseCsv(input: string): CsvParseResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let row = 1;
  let fields: string[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return { ok: true, records };

  for (;;) {
    // At the start of a field.
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      let out = '';
      let from = i + 1;
      i = from;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          return { ok: false, error: { row, message: 'a quoted field is never closed: a double quote is missing' } };
        }
        out += text.slice(from, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          out += '"';
          i = q + 2;
          from = i;
          continue;
        }
        i = q + 1;
        break;
      }
      value = out;
      const next = text.charCodeAt(i);
      if (i < n && next !== COMMA && next !== LF && next !== CR) {
        return {
          ok: false,
          error: {
            row,
            message:
              'after a closing double quote there must be a comma or the end of the line (write a quote inside a quoted field as "")',
          },
        };
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR) break;
        j++;
      }
      // A bare quote inside an unquoted field is kept as it is (as spreadsheets read it).
      value = text.slice(i, j);
      i = j;
    }
    fields.push(value);

    if (i >= n) {
      records.push({ row, fields });
      break;
    }
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      continue;
    }
    // End of the record: CRLF, LF or CR.
    records.push({ row, fields });
    fields = [];
    row++;
    i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    if (i >= n) break; // the file ends with a line break
  }
  return { ok: true, records };
}
