/**
 * The module CSV format: parse + validate a whole file (every problem, not just the first) and
 * format a fleet back into the same format, so that export → import is a round trip.
 *
 * Columns: serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,
 * internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count[,manufacturer,age_years]
 * Rows are numbered as a spreadsheet shows them: the header is row 1, the first module row 2.
 */
import { parse } from 'csv-parse/sync';
import { CHEMISTRIES, type Chemistry, type ModuleState } from '../twin/types.js';

export interface CsvProblem {
  /** 1-based line of the record (header = 1); null for whole-file problems. */
  row: number | null;
  column: string | null;
  message: string;
}

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

/** Files larger than this are refused before parsing (about 400 k modules). */
export const MAX_CSV_BYTES = 32 * 1024 * 1024;
const MAX_SERIAL_LENGTH = 100;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export type ParseResult = { ok: true; modules: ModuleState[] } | { ok: false; problems: CsvProblem[] };

interface NumberRule {
  column: (typeof ALL_COLUMNS)[number];
  min: number;
  max: number;
  /** The bound that is excluded, e.g. capacity must be > 0. */
  minExclusive?: boolean;
  integer?: boolean;
}

// Plausibility bounds: an EV module is a few Ah to ~1000 Ah and a few volts to ~800 V (a whole
// pack); cells in service see -40…+85 °C (typical Li-ion datasheet storage/operating limits).
const RULES: Record<string, NumberRule> = {
  nominal_capacity_ah: { column: 'nominal_capacity_ah', min: 0, max: 2000, minExclusive: true },
  nominal_voltage_v: { column: 'nominal_voltage_v', min: 0, max: 1000, minExclusive: true },
  soh_percent: { column: 'soh_percent', min: 0, max: 100 },
  internal_resistance_mohm: { column: 'internal_resistance_mohm', min: 0, max: 100_000 },
  temp_min_c: { column: 'temp_min_c', min: -60, max: 100 },
  temp_max_c: { column: 'temp_max_c', min: -60, max: 100 },
  cycle_count: { column: 'cycle_count', min: 0, max: 100_000, integer: true },
  age_years: { column: 'age_years', min: 0, max: 100 },
};

/** A strict decimal number: no empty string, no hex, no NaN/Infinity, no trailing junk. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(raw: string, rule: NumberRule, row: number, problems: CsvProblem[]): number {
  const text = raw.trim();
  const column = rule.column;
  if (text === '') {
    problems.push({ row, column, message: `${column} is empty` });
    return NaN;
  }
  if (!NUMBER.test(text)) {
    problems.push({ row, column, message: `${column} "${raw}" is not a finite number` });
    return NaN;
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    problems.push({ row, column, message: `${column} "${raw}" is not a finite number` });
    return NaN;
  }
  if (rule.integer && !Number.isInteger(value)) {
    problems.push({ row, column, message: `${column} ${text} must be a whole number` });
    return NaN;
  }
  const low = rule.minExclusive ? value <= rule.min : value < rule.min;
  if (low || value > rule.max) {
    const lo = rule.minExclusive ? `above ${rule.min}` : `at least ${rule.min}`;
    problems.push({ row, column, message: `${column} ${text} out of range (must be ${lo} and at most ${rule.max})` });
    return NaN;
  }
  return value;
}

/** csv-parse reports the line a record ends on; quoted line breaks move its start up. */
function startLine(record: readonly string[], endLine: number): number {
  let breaks = 0;
  for (const field of record) breaks += field.match(/\r\n|\r|\n/g)?.length ?? 0;
  return endLine - breaks;
}

/**
 * Parses and validates a module CSV. `existingSerials` are serials already in the target fleet
 * (a duplicate against them is a problem too). Nothing is returned unless every row is valid.
 */
export function parseModulesCsv(text: string, existingSerials: ReadonlySet<string> = new Set()): ParseResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_CSV_BYTES) {
    return { ok: false, problems: [{ row: null, column: null, message: `file larger than ${MAX_CSV_BYTES} bytes` }] };
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: false,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    return { ok: false, problems: [{ row: e.lines ?? null, column: null, message: `CSV syntax: ${e.message ?? String(error)}` }] };
  }
  // Lines made only of separators or blanks (",,,," left by spreadsheets) count as empty.
  records = records.filter((r) => r.record.some((cell) => cell.trim() !== ''));
  if (records.length === 0) return { ok: false, problems: [{ row: null, column: null, message: 'file is empty: expected a header row and at least one module' }] };

  const header = records[0].record.map((h) => h.trim().toLowerCase());
  const problems: CsvProblem[] = [];
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  for (const c of missing) problems.push({ row: 1, column: c, message: `missing column ${c}` });
  const known = new Set<string>(ALL_COLUMNS);
  header.forEach((h, i) => {
    if (!known.has(h)) problems.push({ row: 1, column: h || `#${i + 1}`, message: `unknown column "${records[0].record[i]}"` });
    else if (header.indexOf(h) !== i) problems.push({ row: 1, column: h, message: `column ${h} appears twice` });
  });
  if (problems.length > 0) return { ok: false, problems };
  if (records.length === 1) return { ok: false, problems: [{ row: null, column: null, message: 'file has a header but no module rows' }] };

  const index = Object.fromEntries(header.map((h, i) => [h, i])) as Record<string, number>;
  const firstRowOf = new Map<string, number>();
  const modules: ModuleState[] = [];

  for (const { record, info } of records.slice(1)) {
    const row = startLine(record, info.lines);
    const before = problems.length;
    if (record.length !== header.length) {
      problems.push({ row, column: null, message: `row has ${record.length} fields, the header has ${header.length}` });
      continue;
    }
    const cell = (c: string): string => (index[c] === undefined ? '' : record[index[c]]);
    const serial = cell('serial').trim();
    if (serial === '') problems.push({ row, column: 'serial', message: 'serial is empty' });
    else if (CONTROL.test(serial)) problems.push({ row, column: 'serial', message: 'serial contains control characters (line breaks, tabs…)' })
    else if (serial.length > MAX_SERIAL_LENGTH) problems.push({ row, column: 'serial', message: `serial longer than ${MAX_SERIAL_LENGTH} characters` });
    else if (firstRowOf.has(serial)) problems.push({ row, column: 'serial', message: `duplicate serial "${serial}" (first on row ${firstRowOf.get(serial)})` });
    else if (existingSerials.has(serial)) problems.push({ row, column: 'serial', message: `serial "${serial}" already exists in this fleet` });
    if (serial !== '' && !firstRowOf.has(serial)) firstRowOf.set(serial, row);

    const chemistryText = cell('chemistry').trim().toUpperCase();
    if (!(CHEMISTRIES as readonly string[]).includes(chemistryText)) {
      problems.push({ row, column: 'chemistry', message: `unknown chemistry "${cell('chemistry')}" (expected one of ${CHEMISTRIES.join(', ')})` });
    }
    const num = (c: keyof typeof RULES) => parseNumber(cell(c), RULES[c], row, problems);
    const nominalCapacityAh = num('nominal_capacity_ah');
    const nominalVoltageV = num('nominal_voltage_v');
    const sohPercent = num('soh_percent');
    const internalResistanceMilliohm = num('internal_resistance_mohm');
    const temperatureMinC = num('temp_min_c');
    const temperatureMaxC = num('temp_max_c');
    const cycleCount = num('cycle_count');
    if (temperatureMinC > temperatureMaxC) {
      problems.push({ row, column: 'temp_min_c', message: `temp_min_c ${temperatureMinC} is above temp_max_c ${temperatureMaxC}` });
    }
    const manufacturerText = index.manufacturer === undefined ? '' : cell('manufacturer').trim();
    if (CONTROL.test(manufacturerText)) problems.push({ row, column: 'manufacturer', message: 'manufacturer contains control characters (line breaks, tabs…)' });
    const ageText = index.age_years === undefined ? '' : cell('age_years');
    const ageYears = ageText.trim() === '' ? null : num('age_years');
    if (problems.length > before) continue;
    modules.push({
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
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, modules };
}
