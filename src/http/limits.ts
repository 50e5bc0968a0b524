/**
 * What one request may cost: body sizes, rows imported synchronously, GraphQL document limits
 * (enforced by GraphQL Armor) and per-caller rate limits. Each limit has an environment setting
 * (docs/security.md); `readLimits()` checks them at startup.
 */
export interface Limits {
  /** JSON / GraphQL request bodies (RELIFE_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** multipart/form-data bodies, i.e. file uploads (RELIFE_MAX_UPLOAD_BYTES). */
  maxUploadBytes: number;
  /** CSV rows an import request may carry; larger files go through `relife import` (RELIFE_IMPORT_SYNC_MAX_ROWS). */
  importSyncMaxRows: number;
  /** Sustained requests per minute per token (per address in protected mode); 0 = off (RELIFE_RATE_LIMIT_PER_MINUTE). */
  ratePerMinute: number;
  /** Requests a caller may send at once above the sustained rate (RELIFE_RATE_LIMIT_BURST). */
  rateBurst: number;
  graphqlMaxDepth: number;
  graphqlMaxAliases: number;
  graphqlMaxCost: number;
  graphqlMaxTokens: number;
  graphqlMaxDirectives: number;
  /** Allowed browser origins (RELIFE_CORS_ORIGINS, comma-separated); empty = no CORS headers. */
  corsOrigins: string[];
}

export const DEFAULT_LIMITS: Limits = {
  // A 50 000-row module CSV is about 2 MB of JSON string; twice that leaves room for the rest.
  maxBodyBytes: 4 * 2 ** 20,
  maxUploadBytes: 64 * 2 ** 20,
  importSyncMaxRows: 50_000,
  ratePerMinute: 1_200,
  rateBurst: 200,
  // The deepest query the schema serves with purpose (run → solution → allocations → module →
  // fleet → …) is under 12 levels.
  graphqlMaxDepth: 15,
  graphqlMaxAliases: 30,
  // Armor's static cost grows by 1.5× per level: a 500-module page with eleven fields costs about 35 000.
  graphqlMaxCost: 250_000,
  graphqlMaxTokens: 2_000,
  graphqlMaxDirectives: 20,
  corsOrigins: [],
};

const SETTINGS: [keyof Limits, string][] = [
  ['maxBodyBytes', 'RELIFE_MAX_BODY_BYTES'],
  ['maxUploadBytes', 'RELIFE_MAX_UPLOAD_BYTES'],
  ['importSyncMaxRows', 'RELIFE_IMPORT_SYNC_MAX_ROWS'],
  ['ratePerMinute', 'RELIFE_RATE_LIMIT_PER_MINUTE'],
  ['rateBurst', 'RELIFE_RATE_LIMIT_BURST'],
  ['graphqlMaxDepth', 'RELIFE_GRAPHQL_MAX_DEPTH'],
  ['graphqlMaxAliases', 'RELIFE_GRAPHQL_MAX_ALIASES'],
  ['graphqlMaxCost', 'RELIFE_GRAPHQL_MAX_COST'],
  ['graphqlMaxTokens', 'RELIFE_GRAPHQL_MAX_TOKENS'],
  ['graphqlMaxDirectives', 'RELIFE_GRAPHQL_MAX_DIRECTIVES'],
];

export function readLimits(env: NodeJS.ProcessEnv = process.env): Limits {
  const out: Limits = { ...DEFAULT_LIMITS, corsOrigins: [] };
  for (const [key, name] of SETTINGS) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 0) throw new Error(`${name} must be a whole number ≥ 0, got "${raw}"`);
    (out[key] as number) = v;
  }
  out.corsOrigins = (env.RELIFE_CORS_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return out;
}

/** Token bucket per caller: `ratePerMinute` sustained, `burst` at once. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly ratePerMinute: number,
    private readonly burst: number,
  ) {}

  /** 0 when the request may go, else the seconds to wait. */
  take(key: string, now = Date.now()): number {
    if (this.ratePerMinute <= 0) return 0;
    const perMs = this.ratePerMinute / 60_000;
    const capacity = Math.max(1, this.burst);
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size > 100_000) this.buckets.clear();
      b = { tokens: capacity, at: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(capacity, b.tokens + (now - b.at) * perMs);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / perMs / 1000);
  }
}

/** Counts CSV data rows (lines after the header) without parsing, stopping past `limit`. */
export function csvRowsOver(csv: string | Uint8Array, limit: number): number | null {
  let lines = 0;
  let i = -1;
  const next = typeof csv === 'string' ? (from: number) => csv.indexOf('\n', from) : (from: number) => csv.indexOf(10, from);
  while ((i = next(i + 1)) !== -1) {
    lines++;
    if (lines > limit + 1) break;
  }
  const last = typeof csv === 'string' ? csv.charCodeAt(csv.length - 1) : csv[csv.length - 1];
  const trailing = csv.length > 0 && last !== 10 ? 1 : 0;
  const rows = Math.max(0, lines + trailing - 1);
  return rows > limit ? rows : null;
}

export class CsvRowLimitError extends Error {
  constructor(readonly limit: number) {
    super(`the CSV has more than ${limit} rows`);
  }
}

/**
 * Reads a CSV upload chunk by chunk, counting line feeds as they arrive, and stops reading (and
 * throws CsvRowLimitError) as soon as it holds more than `limit` data rows, before the rest of the
 * file is read or copied. Rows are counted as `csvRowsOver` counts them (lines after the header).
 */
export async function readCsvLimited(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let lineFeeds = 0;
  let last = -1;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) {
      // The header's line feed, `limit` rows' and one more, which starts row limit + 1.
      if (++lineFeeds > limit + 1) {
        void reader.cancel().catch(() => {});
        throw new CsvRowLimitError(limit);
      }
    }
    if (value.byteLength > 0) last = value[value.byteLength - 1]!;
    chunks.push(value);
    total += value.byteLength;
  }
  // Without a final line feed the last line is a row too.
  if (total > 0 && last !== 10 && lineFeeds + 1 > limit + 1) throw new CsvRowLimitError(limit);
  return chunks.length === 1 ? chunks[0]! : new Uint8Array(Buffer.concat(chunks, total));
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/**
 * What the server still reads, and discards, of a body it has refused past its limit: the client is
 * usually still sending, and a server that closes with unread bytes in its receive buffer makes the
 * kernel answer with a TCP reset, which can make the client lose the 413 it was sent (RFC 9112
 * §9.6, graceful close). Bounded in bytes (four times the limit, at least 8 MiB) and in time; a
 * body longer than that is cut off and its sender may see the reset instead.
 */
export const DISCARD_AFTER_REFUSAL = { limitMultiple: 4, minBytes: 8 * 2 ** 20, seconds: 10 };

/** Read and drop the rest of a refused body (`DISCARD_AFTER_REFUSAL`), in the background. */
export function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number): void {
  const budget = Math.max(DISCARD_AFTER_REFUSAL.minBytes, DISCARD_AFTER_REFUSAL.limitMultiple * limit);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    reader.cancel().catch(() => {});
  };
  const timer = setTimeout(stop, DISCARD_AFTER_REFUSAL.seconds * 1000);
  timer.unref();
  void (async () => {
    let extra = 0;
    while (!stopped) {
      const next = await reader.read();
      if (next.done) break;
      extra += next.value.byteLength;
      if (extra > budget) stop();
    }
  })()
    .catch(() => {})
    .finally(() => clearTimeout(timer));
}

/** The body as text, refusing once it passes `limit` bytes (the rest is discarded, `discardRest`). */
export async function readBodyLimited(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) throw new BodyTooLargeError(limit);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      discardRest(reader, limit);
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
