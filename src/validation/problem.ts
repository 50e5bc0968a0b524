/**
 * One problem with an input, as every face reports it: where (CSV row and column, or a field
 * path such as `duty.cRate` / `applications[2].duty.cRate`), the offending value as written, and
 * what is wrong with it (the likely mistake when one is recognisable).
 */
export interface Problem {
  /** 1-based CSV line (the header is row 1); null for a field of a structured input. */
  row: number | null;
  /** CSV column or field path; null for whole-file problems. */
  column: string | null;
  /** The value as given (text), when there is one to show. */
  value?: string | null;
  message: string;
}

/** Bad input, with every problem found (not just the first). Nothing was written. */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly problems: Problem[],
  ) {
    super(message);
  }
}

/** `row 3, column soh_percent: …` / `duty.cRate: …` / `file: …` */
export function formatProblem(p: Problem): string {
  const where = p.row != null ? `row ${p.row}${p.column ? `, column ${p.column}` : ''}` : (p.column ?? 'file');
  return `${where}: ${p.message}`;
}

/** The value of a problem as text (numbers as JavaScript writes them, others as JSON). */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** A message that names the first few problems, for clients that only show `message`. */
export function summarise(prefix: string, problems: readonly Problem[], shown = 5): string {
  const rows = new Set(problems.map((p) => p.row).filter((r) => r != null)).size;
  const head = problems.slice(0, shown).map(formatProblem);
  const more = problems.length > shown ? `; … ${problems.length - shown} more in problems` : '';
  return `${prefix}: ${problems.length} problem(s)${rows ? ` on ${rows} row(s)` : ''}: ${head.join('; ')}${more}`;
}
