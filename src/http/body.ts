/**
 * Request bodies, bounded: a body that announces a size over the limit is refused before a byte
 * of it is read (`refuseDeclaredOversize`, on Node's request), and JSON bodies are read by
 * `jsonBodyPlugin` rather than yoga's default parser, stopping once past the limit, with errors
 * that never quote the body back.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { jsonError } from './errors.js';
import { BodyTooLargeError, readBodyLimited, type Limits } from './limits.js';

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

export function jsonBodyPlugin(limits: Limits): Plugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      if (request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json' && type !== 'application/graphql+json' && type !== '') return;
      setRequestParser(async (req) => {
        let text: string;
        try {
          text = await readBodyLimited(req, limits.maxBodyBytes);
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
