/**
 * The module CSV format: parse + validate a whole file (every problem, not just the first) and
 * format a fleet back into the same format, so that export → import is a round trip.
 *
 * Columns: serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,
 * internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count[,manufacturer,age_years]
 * Separated by `,` `;` or tab (detected from the header). Rows are numbered as a spreadsheet
 * shows them: the header is row 1, the first module row 2. The ranges are the twin's own
 * (src/twin/validate.ts); values that look like the wrong unit are refused unless allowed
 * (src/validation/module.ts).
 */
import { parse } from 'csv-parse/sync';
import { CHEMISTRIES, type Chemistry, type ModuleState } from '../twin/types.js';
import type { Range } from '../twin/validate.js';
import { MODULE_RANGES, suspectUnits } from '../validation/module.js';
import { rangeProblem } from '../twin/validate.js';
import type { Problem } from '../validation/problem.js';

/** One problem of a CSV: row (header = 1, null for the whole file), column, value, message. */
export type CsvProblem = Problem;

export const REQUIRED_COLUMNS = [
  'serial',
  'chemistry',
  'nominal_capacity_ah',
  'nominal_voltage_v',
  'soh_percent',
  'internal_resistance_mohm',
  'temp_min_c',
  'temp_max_c',
  'cycle_count',
] as const;
export const OPTIONAL_COLUMNS = ['manufacturer', 'age_years'] as const;
export const ALL_COLUMNS = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS] as const;
type Column = (typeof ALL_COLUMNS)[number];

export const DELIMITERS = { ',': 'comma', ';': 'semicolon', '\t': 'tab' } as const;
export type Delimiter = keyof typeof DELIMITERS;

/** Files larger than this are refused before parsing (about 400 k modules). */
export const MAX_CSV_BYTES = 32 * 1024 * 1024;
const MAX_SERIAL_LENGTH = 100;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export type ParseResult = { ok: true; modules: ModuleState[]; delimiter: Delimiter } | { ok: false; problems: CsvProblem[]; delimiter: Delimiter | null };

export interface ParseOptions {
  /** Serials already in the target fleet (a duplicate against them is a problem too). */
  existingSerials?: ReadonlySet<string>;
  /** Import values that look like the wrong unit (SOH as a fraction, ohms for milliohms) as written. */
  allowSuspectUnits?: boolean;
  /** The separator; detected from the header when absent. */
  delimiter?: Delimiter;
}

const NUMERIC: Partial<Record<Column, { field: keyof typeof MODULE_RANGES; range: Range }>> = {
  nominal_capacity_ah: { field: 'nominalCapacityAh', range: MODULE_RANGES.nominalCapacityAh },
  nominal_voltage_v: { field: 'nominalVoltageV', range: MODULE_RANGES.nominalVoltageV },
  soh_percent: { field: 'sohPercent', range: MODULE_RANGES.sohPercent },
  internal_resistance_mohm: { field: 'internalResistanceMilliohm', range: MODULE_RANGES.internalResistanceMilliohm },
  temp_min_c: { field: 'temperatureMinC', range: MODULE_RANGES.temperatureMinC },
  temp_max_c: { field: 'temperatureMaxC', range: MODULE_RANGES.temperatureMaxC },
  cycle_count: { field: 'cycleCount', range: MODULE_RANGES.cycleCount },
  age_years: { field: 'ageYears', range: MODULE_RANGES.ageYears },
};
const COLUMN_OF_FIELD: Record<string, Column> = Object.fromEntries(Object.entries(NUMERIC).map(([c, n]) => [n!.field, c as Column]));

/** A strict decimal number: no empty string, no hex, no NaN/Infinity, no trailing junk. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;

function parseNumber(raw: string, column: Column, row: number, problems: CsvProblem[]): number {
  const text = raw.trim();
  const { range } = NUMERIC[column]!;
  const fail = (message: string) => {
    problems.push({ row, column, value: raw, message });
    return NaN;
  };
  if (text === '') return fail(`${column} is empty`);
  if (DECIMAL_COMMA.test(text)) return fail(`${column} "${raw}" is not a number: a decimal comma? write ${text.replace(',', '.')}`);
  if (!NUMBER.test(text) || !Number.isFinite(Number(text))) return fail(`${column} "${raw}" is not a finite number`);
  const value = Number(text);
  if (range.integer && !Number.isInteger(value)) return fail(`${column} ${text} must be a whole number`);
  const problem = rangeProblem(value, range);
  if (problem) return fail(`${column} ${text} out of range: ${problem.replace(/, got .*$/, '')}`);
  return value;
}

/** csv-parse reports the line a record ends on; quoted line breaks move its start up. */
function startLine(record: readonly string[], endLine: number): number {
  let breaks = 0;
  for (const field of record) breaks += field.match(/\r\n|\r|\n/g)?.length ?? 0;
  return endLine - breaks;
}

const normaliseHeader = (h: string) => h.trim().replace(/^"|"$/g, '').trim().toLowerCase();

/** The first line with content (the header), BOM stripped. */
function headerLine(text: string): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const line of body.split(/\r\n|\n|\r/)) if (line.replace(/[,;\t\s]/g, '') !== '') return line;
  return '';
}

/** The separator whose split of the header names the most known columns (then: the most fields). */
export function detectDelimiter(text: string): Delimiter {
  const line = headerLine(text);
  const known = new Set<string>(ALL_COLUMNS);
  let best: Delimiter = ',';
  let bestScore = [-1, -1];
  for (const d of Object.keys(DELIMITERS) as Delimiter[]) {
    const cells = line.split(d).map(normaliseHeader);
    const score = [cells.filter((c) => known.has(c)).length, cells.length];
    if (score[0]! > bestScore[0]! || (score[0] === bestScore[0] && score[1]! > bestScore[1]!)) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

const delimiterName = (d: Delimiter) => `${DELIMITERS[d]} (${d === '\t' ? '\\t' : d})`;

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = up;
    }
  }
  return prev[b.length]!;
}

const UNIT_SUFFIX = /_(percent|pct|ah|v|mohm|ohm|c|count|years)$/;

/** The expected column a header most likely means (edit distance on the name and its stem), or null. */
export function nearestColumn(header: string, candidates: readonly string[] = ALL_COLUMNS): string | null {
  const h = header.trim().toLowerCase().replace(/[\s-]+/g, '_').replace(/[()%[\]]/g, '').replace(/_+$/, '');
  if (h === '') return null;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const stem = c.replace(UNIT_SUFFIX, '');
    const hStem = h.replace(UNIT_SUFFIX, '');
    let d = Math.min(levenshtein(h, c), levenshtein(h, stem), levenshtein(hStem, stem));
    if (d > 0 && hStem.length >= 3 && (stem.includes(hStem) || hStem.includes(stem))) d = Math.min(d, 1);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const tolerance = Math.max(2, Math.floor(h.length / 3));
  return bestDistance <= tolerance ? best : null;
}

/**
 * Parses and validates a module CSV. Nothing is returned unless every row is valid.
 * (`existingSerials` may be passed directly for the common case.)
 */
export function parseModulesCsv(text: string, options: ParseOptions | ReadonlySet<string> = {}): ParseResult {
  const opts: ParseOptions = options instanceof Set ? { existingSerials: options } : (options as ParseOptions);
  const existingSerials = opts.existingSerials ?? new Set<string>();
  if (Buffer.byteLength(text, 'utf8') > MAX_CSV_BYTES) {
    return { ok: false, delimiter: null, problems: [{ row: null, column: null, message: `file larger than ${MAX_CSV_BYTES} bytes` }] };
  }
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: false,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    return { ok: false, delimiter, problems: [{ row: e.lines ?? null, column: null, message: `CSV syntax: ${e.message ?? String(error)}` }] };
  }
  // Lines made only of separators or blanks (",,,," left by spreadsheets) count as empty.
  records = records.filter((r) => r.record.some((cell) => cell.trim() !== ''));
  if (records.length === 0) return { ok: false, delimiter, problems: [{ row: null, column: null, message: 'file is empty: expected a header row and at least one module' }] };

  const header = records[0]!.record.map(normaliseHeader);
  const problems: CsvProblem[] = [];
  const known = new Set<string>(ALL_COLUMNS);
  if (header.length === 1 && !known.has(header[0]!)) {
    const other = detectDelimiter(text);
    const hint = other !== delimiter ? `; the file looks separated by ${delimiterName(other)}` : '; separate the columns by comma, semicolon or tab';
    problems.push({ row: 1, column: null, value: records[0]!.record[0], message: `the header is one column when split by ${delimiterName(delimiter)}${hint}` });
    return { ok: false, delimiter, problems };
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  const unknownHeaders = header.filter((h) => !known.has(h));
  for (const c of missing) {
    const near = unknownHeaders.find((h) => nearestColumn(h, [c]) === c);
    problems.push({ row: 1, column: c, message: `missing column ${c}${near ? ` (is "${near}" meant to be ${c}?)` : ''}` });
  }
  const absent = ALL_COLUMNS.filter((c) => !header.includes(c));
  header.forEach((h, i) => {
    const written = records[0]!.record[i]!;
    if (!known.has(h)) {
      const near = nearestColumn(h, absent);
      problems.push({ row: 1, column: h || `#${i + 1}`, value: written, message: `unknown column "${written}"${near ? `: did you mean ${near}?` : ` (expected columns: ${ALL_COLUMNS.join(', ')})`}` });
    } else if (header.indexOf(h) !== i) problems.push({ row: 1, column: h, value: written, message: `column ${h} appears twice` });
  });
  if (problems.length > 0) return { ok: false, delimiter, problems };
  if (records.length === 1) return { ok: false, delimiter, problems: [{ row: null, column: null, message: 'file has a header but no module rows' }] };

  const index = Object.fromEntries(header.map((h, i) => [h, i])) as Record<string, number>;
  const firstRowOf = new Map<string, number>();
  const modules: ModuleState[] = [];

  for (const { record, info } of records.slice(1)) {
    const row = startLine(record, info.lines);
    const before = problems.length;
    if (record.length !== header.length) {
      const hint = record.length > header.length ? ` (a decimal comma, or an unquoted ${DELIMITERS[delimiter]} in a text?)` : '';
      problems.push({ row, column: null, message: `row has ${record.length} fields, the header has ${header.length}${hint}` });
      continue;
    }
    const cell = (c: string): string => (index[c] === undefined ? '' : record[index[c]!]!);
    const serial = cell('serial').trim();
    const serialProblem = (message: string) => problems.push({ row, column: 'serial', value: cell('serial'), message });
    if (serial === '') serialProblem('serial is empty');
    else if (CONTROL.test(serial)) serialProblem('serial contains control characters (line breaks, tabs…)');
    else if (serial.length > MAX_SERIAL_LENGTH) serialProblem(`serial longer than ${MAX_SERIAL_LENGTH} characters`);
    else if (firstRowOf.has(serial)) serialProblem(`duplicate serial "${serial}" (first on row ${firstRowOf.get(serial)})`);
    else if (existingSerials.has(serial)) serialProblem(`serial "${serial}" already exists in this fleet`);
    if (serial !== '' && !firstRowOf.has(serial)) firstRowOf.set(serial, row);

    const chemistryText = cell('chemistry').trim().toUpperCase();
    if (!(CHEMISTRIES as readonly string[]).includes(chemistryText)) {
      problems.push({ row, column: 'chemistry', value: cell('chemistry'), message: `unknown chemistry "${cell('chemistry')}" (expected one of ${CHEMISTRIES.join(', ')})` });
    }
    const num = (c: Column) => parseNumber(cell(c), c, row, problems);
    const nominalCapacityAh = num('nominal_capacity_ah');
    const nominalVoltageV = num('nominal_voltage_v');
    const sohPercent = num('soh_percent');
    const internalResistanceMilliohm = num('internal_resistance_mohm');
    const temperatureMinC = num('temp_min_c');
    const temperatureMaxC = num('temp_max_c');
    const cycleCount = num('cycle_count');
    if (temperatureMinC > temperatureMaxC) {
      problems.push({ row, column: 'temp_min_c', value: cell('temp_min_c'), message: `temp_min_c ${temperatureMinC} is above temp_max_c ${temperatureMaxC}` });
    }
    const manufacturerText = index.manufacturer === undefined ? '' : cell('manufacturer').trim();
    if (CONTROL.test(manufacturerText)) problems.push({ row, column: 'manufacturer', message: 'manufacturer contains control characters (line breaks, tabs…)' });
    const ageText = index.age_years === undefined ? '' : cell('age_years');
    const ageYears = ageText.trim() === '' ? null : num('age_years');
    if (problems.length > before) continue;
    const module: ModuleState = {
      serial,
      chemistry: chemistryText as Chemistry,
      nominalCapacityAh,
      nominalVoltageV,
      sohPercent,
      internalResistanceMilliohm,
      temperatureMinC,
      temperatureMaxC,
      cycleCount,
      manufacturer: manufacturerText === '' ? null : manufacturerText,
      ageYears,
    };
    if (!opts.allowSuspectUnits) {
      const suspects = suspectUnits(module);
      for (const s of suspects) {
        const column = COLUMN_OF_FIELD[s.field]!;
        problems.push({ row, column, value: cell(column), message: `${column} ${s.message}` });
      }
      if (suspects.length > 0) continue;
    }
    modules.push(module);
  }
  return problems.length > 0 ? { ok: false, delimiter, problems } : { ok: true, delimiter, modules };
}
