/**
 * Reading a webhook post's body from the network, bounded: at most `limit` bytes (the read stops
 * at the first byte past it, so a body that never ends costs at most `limit` of memory) and at
 * most `timeoutMs` for the whole body (a client trickling one byte at a time cannot hold the
 * handler). Nothing here throws or leaves a rejection behind: every outcome is a value.
 */

/** What reading a body came to. `aborted`: the client went away before the body ended. */
export type BodyRead = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'size' | 'timeout' | 'aborted' };

/** The parts of Node's `IncomingMessage` (a readable stream) the reader uses. */
export interface NodeBodyStream {
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
  pause?(): unknown;
  readableEnded?: boolean;
}

/** Reads a Node request body by its events (never `for await`, whose rejection on a disconnect would go unhandled). */
export function readNodeBody(req: NodeBodyStream, limit: number, timeoutMs: number): Promise<BodyRead> {
  // Stays attached for good: an 'error' after the read ended (a reset while the answer is
  // written) must find a listener, or Node turns it into an uncaught exception.
  req.on('error', ignore);
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('close', onClose);
      if (!result.ok) req.pause?.(); // read nothing more; the answer closes the connection
      resolve(result);
    };
    const onData = (chunk: Uint8Array | string) => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      size += bytes.length;
      if (size > limit) return finish({ ok: false, reason: 'size' });
      chunks.push(bytes);
    };
    const onEnd = () => finish({ ok: true, bytes: concat(chunks, size) });
    const onClose = () => finish({ ok: false, reason: 'aborted' });
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout' }), timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
  });
}

/** Reads a fetch body stream, cancelling it at the limit or the deadline. */
export async function readStreamBody(stream: ReadableStream<Uint8Array>, limit: number, timeoutMs: number): Promise<BodyRead> {
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = stream.getReader();
  } catch {
    return { ok: false, reason: 'aborted' }; // locked by someone else: the body is not ours to read
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const stop = (reason: 'size' | 'timeout' | 'aborted'): BodyRead => {
    reader.cancel().catch(ignore);
    return { ok: false, reason };
  };
  try {
    for (;;) {
      const step = await Promise.race([reader.read(), deadline]);
      if (step === 'timeout') return stop('timeout');
      if (step.done) return { ok: true, bytes: concat(chunks, size) };
      size += step.value.byteLength;
      if (size > limit) return stop('size');
      chunks.push(step.value);
    }
  } catch {
    return stop('aborted');
  } finally {
    clearTimeout(timer);
  }
}

/** The media type of a `content-type` header, lower case, without parameters (`''` when absent). */
export function mediaType(header: string | null | undefined): string {
  return (header ?? '').split(';', 1)[0].trim().toLowerCase();
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function ignore(): void {}
