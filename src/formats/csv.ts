/**
 * The one CSV writer (RFC 4180): comma-separated, a field quoted when it holds a comma, semicolon, tab, quote,
 * CR or LF, quotes doubled; LF line ends and a trailing newline. Numbers are written as given
 * (callers round them first); null and undefined are empty fields.
 */
export type CsvValue = string | number | boolean | null | undefined;

export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Object.is(v, -0) ? '0' : String(v)) : String(v);
  return /[",;\t\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',');
}

export function formatCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [csvLine(header)];
  for (const r of rows) lines.push(csvLine(r));
  return `${lines.join('\n')}\n`;
}
