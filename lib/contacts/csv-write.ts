/**
 * Writing CSV for people who open it in a spreadsheet (RFC 4180, CRLF line
 * ends). A cell that starts with = + - @ (or a tab or carriage return) is
 * prefixed with a single quote, so a spreadsheet shows it as text instead of
 * running it as a formula (OWASP, "CSV Injection"). The trade-off: an E.164
 * number reads as '+12125550100 in a plain text editor.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: formula-safe, and quoted when it holds a comma, quote or line break. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, ending in CRLF. */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** The UTF-8 byte-order mark: spreadsheets read the file as UTF-8 only with it. */
export const CSV_BOM = '\ufeff';
