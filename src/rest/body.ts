/**
 * Request bodies read straight off Node's request stream, capped in bytes as they arrive.
 *
 * Why not through the Fetch `Request` that Hono's Node adapter offers: asking it for the body
 * makes the adapter build a full undici Request and a web stream over the socket, which was an
 * eighth of an inbound alert's time in the ingestion benchmark. Node's own stream gives the same
 * bytes without either.
 *
 * The reader stops at the cap: once past it, it detaches and pauses the stream, so nothing more is
 * read for the refusal (the caller answers 413 and closes the connection without reading on).
 */
import type { IncomingMessage } from 'node:http';

export type BodyRead =
  | { ok: true; bytes: Buffer }
  /** `too-large`: past the cap, reading stopped; `incomplete`: the client went away or the stream failed. */
  | { ok: false; reason: 'too-large' | 'incomplete' };

/** Read the whole body of `incoming`, or stop as soon as it passes `maxBytes`. Never rejects. */
export function readCappedBody(incoming: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  if (incoming.readableEnded) return Promise.resolve({ ok: true, bytes: Buffer.alloc(0) });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onFailure);
      incoming.off('aborted', onFailure);
      incoming.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        incoming.pause();
        chunks.length = 0;
        finish({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    const onFailure = () => finish({ ok: false, reason: 'incomplete' });
    // 'close' before 'end': the request was cut off (a timeout, a reset).
    const onClose = () => {
      if (!incoming.complete) onFailure();
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onFailure);
    incoming.on('aborted', onFailure);
    incoming.on('close', onClose);
  });
}

/**
 * The same cap over a Fetch body stream, for the app run without Node's server (its own `fetch`):
 * reading stops, and the stream is cancelled, as soon as the bytes pass `maxBytes`.
 */
export async function readCappedStream(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<BodyRead> {
  if (!stream) return { ok: true, bytes: Buffer.alloc(0) };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { ok: true, bytes: Buffer.concat(chunks, size) };
      size += value.length;
      if (size > maxBytes) {
        void reader.cancel().catch(() => {});
        return { ok: false, reason: 'too-large' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: 'incomplete' };
  }
}

/**
 * A body's form fields (`application/x-www-form-urlencoded`, `multipart/form-data`), each as its
 * values in order; files are left out (no endpoint takes one). Throws when the body is not the form
 * its content type says.
 */
export async function formFields(bytes: Buffer, contentType: string): Promise<Map<string, string[]>> {
  const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  const fields = new Map<string, string[]>();
  for (const [key, value] of form) {
    if (typeof value !== 'string') continue;
    const values = fields.get(key);
    if (values) values.push(value);
    else fields.set(key, [value]);
  }
  return fields;
}
