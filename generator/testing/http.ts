/// <reference types="node" />
// Node's types: the kit runs on Node (an HTTP server); the client itself needs none of them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseForm } from '../runtime/form.js';

/**
 * The HTTP side of the test portal: reading a request's params as the portal accepts them (a
 * JSON body, a form body, the query string) and writing its JSON answers.
 */

/** The most a request body may hold: File.upload takes up to 100 MB of content, as Base64. */
export const MAX_REQUEST_BYTES = 150 * 1024 * 1024;

export class RequestBodyError extends Error {}

/** The body as text, refused past MAX_REQUEST_BYTES. */
export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new RequestBodyError(`the body is over ${MAX_REQUEST_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A request's params: the query string's, then the body's (JSON, or a form as PHP reads it) over
 * them. `typed` is true for JSON, whose values keep their types; form values are strings, turned
 * back by the method's schema before they are checked.
 */
export function paramsOf(url: URL, contentType: string | undefined, text: string): { params: Record<string, unknown>; typed: boolean } {
  const query = url.search.length > 1 ? parseForm(url.search.slice(1)) : {};
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (text.trim() === '') return { params: query, typed: Object.keys(query).length === 0 };
  if (type === 'application/json' || (type === '' && /^\s*[{[]/.test(text))) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new RequestBodyError(`the JSON body does not parse: ${(e as Error).message}`);
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new RequestBodyError('the JSON body is not an object');
    return { params: { ...query, ...(body as Record<string, unknown>) }, typed: Object.keys(query).length === 0 };
  }
  return { params: { ...query, ...parseForm(text) }, typed: false };
}

/** A JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** The `time` block of an answer, shaped like the portal's (data-types.md#time). */
export function timeBlock(startedMs: number, operating?: { used: number; resetAtMs: number }): Record<string, number | string> {
  const finishedMs = Date.now();
  const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  return {
    start: startedMs / 1000,
    finish: finishedMs / 1000,
    duration: (finishedMs - startedMs) / 1000,
    processing: (finishedMs - startedMs) / 1000,
    date_start: iso(startedMs),
    date_finish: iso(finishedMs),
    ...(operating && { operating_reset_at: Math.ceil(operating.resetAtMs / 1000), operating: operating.used }),
  };
}
