/**
 * Request bodies, bounded: a body that announces a size over the limit is refused before a byte
 * of it is read (`refuseDeclaredOversize`, on Node's request), and JSON bodies are read by
 * `jsonBodyPlugin` rather than yoga's default parser, stopping once past the limit, with errors
 * that never quote the body back. The other bodies yoga parses (multipart, application/graphql,
 * forms) are counted as they stream, as yoga's own `maxRequestBodySize` does; that one is off
 * (src/server.ts), since it would pipe every JSON body through a counting stream as well, which
 * cost about a tenth of a small query's CPU time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { jsonError } from './errors.js';
import { BodyTooLargeError, discardRest, readBodyLimited, type Limits } from './limits.js';

const BODY_TOO_LARGE = (limit: number) =>
  `request body larger than ${limit} bytes; send files by multipart upload or import large CSVs with "relife import" (RELIFE_MAX_BODY_BYTES sets the limit)`;

/** Answers 413 and returns true when the request declares a body over its limit. */
export function refuseDeclaredOversize(req: IncomingMessage, res: ServerResponse, limits: Limits): boolean {
  const declared = Number(req.headers['content-length'] ?? NaN);
  const multipart = (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');
  const limit = multipart ? limits.maxUploadBytes : limits.maxBodyBytes;
  if (!(declared > limit)) return false;
  const body = JSON.stringify({
    error: multipart ? `upload larger than ${limit} bytes (RELIFE_MAX_UPLOAD_BYTES); import large CSVs with "relife import"` : BODY_TOO_LARGE(limit),
  });
  res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  // Discard what the client is still sending so that it reads the answer, for a while.
  req.resume();
  setTimeout(() => req.destroy(), 5_000).unref();
  return true;
}

function jsonGraphqlError(status: number, message: string): Response {
  return Response.json({ errors: [{ message }] }, { status });
}

/** 413 for a body past `limit` (the connection is closed after it: the body may not have been read to its end). */
const tooLarge = (limit: number, upload: boolean) =>
  createGraphQLError(
    upload
      ? `Request body too large: an upload may have ${limit} bytes (RELIFE_MAX_UPLOAD_BYTES); import large CSVs with "relife import"`
      : `Request body too large: a request may have ${limit} bytes (RELIFE_MAX_BODY_BYTES)`,
    { extensions: { http: { status: 413, headers: { connection: 'close' } }, code: 'REQUEST_ENTITY_TOO_LARGE' } },
  );

/**
 * `request` with its body counted as it streams: past `limit` bytes the parser reading it fails.
 * The body is read through a source of our own whose cancellation (what a failed pipe does to its
 * source) reads and discards the rest (`discardRest`) instead of destroying the request, which
 * would reset the connection while the client is still sending and lose the 413 it is sent.
 * `exceeded()` tells the caller whether the limit was the failure.
 */
function countedBody(
  request: Request,
  limit: number,
  upload: boolean,
  fetchAPI: { Request: typeof Request; ReadableStream: typeof ReadableStream; TransformStream: typeof TransformStream },
): { request: Request; exceeded: () => boolean } {
  const body = request.body;
  if (!body) return { request, exceeded: () => false };
  // Node's own ReadableStream wants Node's streams around it, whatwg-node's ponyfill its own.
  const native = body instanceof ReadableStream;
  const Readable = native ? globalThis.ReadableStream : fetchAPI.ReadableStream;
  const Transform = native ? globalThis.TransformStream : fetchAPI.TransformStream;
  const reader = body.getReader();
  let read = 0;
  let over = false;
  const source = new Readable<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      if (over) discardRest(reader, limit);
      else reader.cancel(reason).catch(() => {});
    },
  });
  const counted = source.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > limit) {
          over = true;
          controller.error(tooLarge(limit, upload));
        } else controller.enqueue(chunk);
      },
    }),
  );
  return {
    request: new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body: counted, duplex: 'half' } as RequestInit),
    exceeded: () => over,
  };
}

/**
 * True when Node's HTTP parser frames the request's body by a Content-Length within `limit`: it
 * then hands over exactly that many bytes (what follows is the next request), and a body with
 * both Content-Length and chunked encoding is refused before it gets here. Such a body is read
 * whole, without counting chunk by chunk through the web stream.
 */
function framedByLength(serverContext: unknown, limit: number): boolean {
  const req = (serverContext as { req?: IncomingMessage } | undefined)?.req;
  if (!req || typeof req.headers !== 'object' || req.headers['transfer-encoding'] !== undefined) return false;
  const declared = req.headers['content-length'];
  return typeof declared === 'string' && /^\d+$/.test(declared) && Number(declared) <= limit;
}

export function jsonBodyPlugin(limits: Limits): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI, serverContext }) {
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const json = request.method === 'POST' && (type === 'application/json' || type === 'application/graphql+json' || type === '');
      if (!json) {
        // Only a single non-negative integer is a Content-Length (as yoga checks).
        const declared = request.headers.get('content-length');
        if (declared != null && !/^\d+$/.test(declared)) {
          throw createGraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
        }
        const upload = type.startsWith('multipart/');
        const limit = upload ? limits.maxUploadBytes : limits.maxBodyBytes;
        if (declared != null && Number(declared) > limit) throw tooLarge(limit, upload);
        if (requestParser && request.body) {
          const parse = requestParser;
          setRequestParser(async (req) => {
            const counted = countedBody(req, limit, upload, fetchAPI as never);
            try {
              return await parse(counted.request);
            } catch (error) {
              // The multipart parser reports a failing stream as "invalid multipart data" (400):
              // when the limit was what failed, say so.
              if (counted.exceeded()) throw tooLarge(limit, upload);
              throw error;
            }
          });
        }
        return;
      }
      setRequestParser(async (req) => {
        let text: string;
        try {
          text = framedByLength(serverContext, limits.maxBodyBytes) ? await req.text() : await readBodyLimited(req, limits.maxBodyBytes);
        } catch (error) {
          if (error instanceof BodyTooLargeError) return jsonError(413, BODY_TOO_LARGE(limits.maxBodyBytes), { connection: 'close' }) as never;
          throw error;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return jsonGraphqlError(400, 'the request body is not valid JSON') as never;
        }
        if (!parsed || typeof parsed !== 'object') return jsonGraphqlError(400, 'the request body must be a JSON object with "query"') as never;
        return parsed as never;
      });
    },
  };
}
