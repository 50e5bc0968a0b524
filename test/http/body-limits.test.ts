/**
 * Bodies other than JSON (multipart uploads, application/graphql) are counted as they stream and
 * refused with 413 past their limit, also when sent chunked without a Content-Length; under the
 * limit they are parsed as before. (JSON bodies: test/security/abuse.test.ts.)
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

/** Refused: 413, or 400 from yoga's multipart parser, which reports the stream's error so; or the socket closed mid-send. */
const expectRefused = (r: { status: number | null; text: string; code: string }, statuses: number[]) => {
  if (r.status === null) expect(r.code).toMatch(/EPIPE|ECONNRESET|UND_ERR_SOCKET/);
  else {
    expect(statuses).toContain(r.status);
    expect(r.text).toMatch(/Request body too large/);
    expect(r.text).not.toMatch(/zzzz/);
  }
};

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
    expectRefused(await post(server.url, { 'content-type': 'application/graphql' }, chunked(['{ __typename } #', ...Array.from({ length: 5 }, () => 'z'.repeat(1000))])), [413]);
  });

  it('parses a chunked multipart request under the upload limit', async () => {
    const r = await post(server.url, multipartHeaders, chunked(multipart(5_000)));
    // The upload reached the resolver (which refuses this fleet id or file as it would any other).
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).data.importModules.__typename).toMatch(/Error$/);
  });

  it('refuses a chunked multipart request past the upload limit (413, or 400 from the multipart parser)', async () => {
    expectRefused(await post(server.url, multipartHeaders, chunked(multipart(40_000))), [400, 413]);
    expect((await server.get('/health')).status).toBe(200);
  });
});
