/**
 * CSV as RFC 4180 writes it: fields with a comma, quote or line break are quoted, quotes are
 * doubled, lines end in CRLF. Audit exports are opened in spreadsheets, and a cell starting
 * with = + - @ (or a tab or carriage return) would run as a formula there: the actor email of
 * a failed sign-in is whatever a stranger typed. Such cells get a leading apostrophe, as OWASP's
 * "CSV injection" advice puts it.
 */
const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | boolean | Date | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
