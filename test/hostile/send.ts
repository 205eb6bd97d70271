/**
 * A raw HTTP client for hostile tests: streams a body of any size (generated as it goes, never
 * held in memory) or trickles it slowly, and reports how much it managed to send before the
 * server answered or cut it off.
 */
import { request } from 'node:http';

export interface Sent {
  /** 0 when the server closed the connection without an answer. */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Body bytes handed to the socket before the answer (or the cut-off) came. */
  sent: number;
  /** The socket error the client saw, if any (e.g. ECONNRESET once the server closed). */
  error: string | undefined;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Total body size; sent as `Content-Length` unless `chunked`. */
  total: number;
  chunked?: boolean;
  /** Size of each write (default 64 KiB). */
  chunkBytes?: number;
  /** Pause between writes (trickling); default none. */
  intervalMs?: number;
  /** The body's bytes at `offset` (default: the letter `a`). */
  fill?: (offset: number, size: number) => Buffer;
  /**
   * Keep sending after the answer, as a hostile client would, until the server cuts the
   * connection (or the whole body is sent). Default: stop once answered, as a polite one does.
   */
  ignoreAnswer?: boolean;
}

export function send(url: string, opts: SendOptions): Promise<Sent> {
  const target = new URL(url);
  const chunkBytes = opts.chunkBytes ?? 64 * 1024;
  const filler = Buffer.alloc(chunkBytes, 0x61);
  return new Promise((resolve) => {
    let sent = 0;
    let status = 0;
    let headers: Sent['headers'] = {};
    let body = '';
    let error: string | undefined;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      req.destroy();
      resolve({ status, headers, body, sent, error });
    };
    const req = request({
      host: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      method: opts.method ?? 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(opts.total) }),
        ...opts.headers,
      },
      agent: false,
    });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      if (!opts.ignoreAnswer) {
        res.on('end', finish);
        res.on('error', finish);
      }
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
      // An answer may still be arriving; give it a moment, then report what there is.
      setTimeout(finish, 100);
    });
    req.on('close', () => setTimeout(finish, 100));

    const nextChunk = () => {
      const size = Math.min(chunkBytes, opts.total - sent);
      return opts.fill ? opts.fill(sent, size) : filler.subarray(0, size);
    };
    const pump = () => {
      while (!settled && (status === 0 || opts.ignoreAnswer) && !req.destroyed && sent < opts.total) {
        const chunk = nextChunk();
        sent += chunk.length;
        const more = req.write(chunk);
        if (sent >= opts.total) {
          req.end();
          if (opts.ignoreAnswer) setTimeout(finish, 100);
          return;
        }
        if (opts.intervalMs) {
          setTimeout(pump, opts.intervalMs);
          return;
        }
        if (!more) {
          req.once('drain', pump);
          return;
        }
      }
    };
    if (opts.total === 0) req.end();
    else pump();
  });
}
