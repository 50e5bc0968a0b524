/**
 * Bodies other than JSON (multipart uploads, application/graphql) are counted as they stream and
 * refused with 413 past their limit, also when sent chunked without a Content-Length, and the
 * client reads that 413 even while still sending; under the limit they are parsed as before. (JSON bodies: test/security/abuse.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** A body sent chunked (no Content-Length): the server learns its size only by reading it. */
function chunked(parts: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(new TextEncoder().encode(p));
      c.close();
    },
  });
}

/** Status of a POST, or the socket error when the server answered 413 and closed mid-send. */
async function post(url: string, headers: Record<string, string>, body: ReadableStream<Uint8Array> | string): Promise<{ status: number | null; text: string; code: string }> {
  return fetch(`${url}/graphql`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit).then(
    async (res) => ({ status: res.status, text: await res.text(), code: '' }),
    (error: unknown) => ({ status: null, text: '', code: String((error as { cause?: { code?: string } }).cause?.code ?? error) }),
  );
}

/** Refused with a 413 the client reads, naming the limit, without quoting the body back. */
const expectRefused = (r: { status: number | null; text: string; code: string }, limit: number) => {
  expect([r.status, r.code]).toEqual([413, '']);
  expect(r.text).toMatch(/Request body too large/);
  expect(r.text).toContain(String(limit));
  expect(r.text).not.toMatch(/zzzz/);
};

/**
 * A chunked body of `bytes` filler between `head` and `tail`, produced as it is read (the client is
 * still sending when refused); `sentAll` settles once the whole of it has been taken from the client.
 */
function slowChunked(head: string[], bytes: number, tail: string[] = []): { body: ReadableStream<Uint8Array>; sentAll: Promise<void> } {
  const parts = [...head];
  const rest = [...tail];
  let sent = 0;
  let i = 0;
  let done = () => {};
  const sentAll = new Promise<void>((resolve) => (done = resolve));
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < parts.length) c.enqueue(new TextEncoder().encode(parts[i++]!));
      else if (sent < bytes) {
        sent += 16_384;
        c.enqueue(new TextEncoder().encode('z'.repeat(16_384)));
      } else if (rest.length > 0) c.enqueue(new TextEncoder().encode(rest.shift()!));
      else {
        c.close();
        done();
      }
    },
  });
  return { body, sentAll };
}

describe('streamed bodies other than JSON', () => {
  let database: Database;
  let server: TestServer;
  beforeAll(async () => {
    database = await openDatabase({ inMemory: true });
    server = await startTestServer(database, { limits: { maxBodyBytes: 2_000, maxUploadBytes: 20_000 } });
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const boundary = 'relifeboundary';
  const multipart = (fileBytes: number) => [
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: 'mutation ($f: File) { importModules(input: { fleetId: "RmxlZXQ6eA", file: $f }) { __typename } }', variables: { f: null } })}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.f'] })}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="m.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ...Array.from({ length: Math.ceil(fileBytes / 1000) }, () => 'z'.repeat(1000)),
    `\r\n--${boundary}--\r\n`,
  ];
  const multipartHeaders = { 'content-type': `multipart/form-data; boundary=${boundary}` };

  it('limits a chunked application/graphql body by the body limit, not the upload limit', async () => {
    const small = await post(server.url, { 'content-type': 'application/graphql' }, chunked(['{ __typename }']));
    expect([small.status, JSON.parse(small.text)]).toEqual([200, { data: { __typename: 'Query' } }]);
    expectRefused(await post(server.url, { 'content-type': 'application/graphql' }, chunked(['{ __typename } #', ...Array.from({ length: 5 }, () => 'z'.repeat(1000))])), 2_000);
  });

  it('parses a chunked multipart request under the upload limit', async () => {
    const r = await post(server.url, multipartHeaders, chunked(multipart(5_000)));
    // The upload reached the resolver (which refuses this fleet id or file as it would any other).
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).data.importModules.__typename).toMatch(/Error$/);
  });

  it('refuses a chunked multipart request past the upload limit with a 413 that names the limit', async () => {
    const r = await post(server.url, multipartHeaders, chunked(multipart(40_000)));
    expectRefused(r, 20_000);
    expect(r.text).toMatch(/RELIFE_MAX_UPLOAD_BYTES/);
    expect((await server.get('/health')).status).toBe(200);
  });

  // A body refused while the client is still sending it is read on and discarded (up to four times
  // the limit, at least 8 MiB), not the request destroyed: that reset the connection, and the client
  // lost the answer in some attempts (the application/graphql and multipart bodies, whose counting
  // stream destroyed the request when it failed). The client's upload completes.
  const stillSending: Array<[string, Record<string, string>, () => ReturnType<typeof slowChunked>, number]> = [
    ['JSON', { 'content-type': 'application/json' }, () => slowChunked(['{"query":"{ __typename }","x":"'], 1_000_000, ['"}']), 2_000],
    ['application/graphql', { 'content-type': 'application/graphql' }, () => slowChunked(['{ __typename } #'], 1_000_000), 2_000],
    ['multipart', multipartHeaders, () => slowChunked(multipart(0).slice(0, 3), 1_000_000, multipart(0).slice(3)), 20_000],
  ];
  for (const [name, headers, make, limit] of stillSending) {
    it(`answers a ${name} body 500 times its limit, still being sent, with a 413 the client reads, and reads the body to its end (10 attempts)`, async () => {
      for (let attempt = 0; attempt < 10; attempt++) {
        const { body, sentAll } = make();
        const r = await post(server.url, headers, body);
        if (name === 'JSON') {
          expect([r.status, r.code]).toEqual([413, '']);
          expect(r.text).toContain(`larger than ${limit} bytes`);
        } else expectRefused(r, limit);
        let timer: NodeJS.Timeout | undefined;
        const read = await Promise.race([sentAll.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5_000)))]);
        clearTimeout(timer);
        expect(read, `attempt ${attempt}: the whole body was taken from the client`).toBe(true);
      }
      expect((await server.get('/health')).status).toBe(200);
    });
  }
});
