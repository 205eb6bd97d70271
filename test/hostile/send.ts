/**
 * A raw HTTP/1.1 client for hostile tests and benchmarks, on a bare TCP socket so nothing in an
 * HTTP library decides for it: streams a body of any size (generated as it goes, never held in
 * memory) or trickles it slowly, keeps sending after the answer if asked (as an attacker would),
 * and reports how much it managed to send before the server answered or cut it off.
 */
import { connect } from 'node:net';

export interface Sent {
  /** 0 when the server closed the connection without an answer. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Body bytes handed to the socket (before the answer, or the cut-off). */
  sent: number;
  /** The socket error the client saw, if any (e.g. EPIPE or ECONNRESET once the server closed). */
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
  const headers: Record<string, string> = {
    'host': target.host,
    'content-type': 'application/json',
    ...(opts.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(opts.total) }),
    ...opts.headers,
  };
  const head = `${opts.method ?? 'POST'} ${target.pathname}${target.search} HTTP/1.1\r\n`
    + Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')
    + '\r\n';

  return new Promise((resolve) => {
    // Half-open when hostile: the server's FIN does not stop this client from sending.
    const hostile = opts.ignoreAnswer === true;
    const socket = connect({ port: Number(target.port), host: target.hostname, allowHalfOpen: hostile });
    let sent = 0;
    let received = '';
    let error: string | undefined;
    let settled = false;
    let ended = false;
    const answer = () => {
      const split = received.indexOf('\r\n\r\n');
      if (split < 0) return undefined;
      const [statusLine, ...lines] = received.slice(0, split).split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0);
      const fields = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      return { status, headers: fields, body: received.slice(split + 4) };
    };
    const finish = () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const got = answer();
      resolve({ status: got?.status ?? 0, headers: got?.headers ?? {}, body: got?.body ?? '', sent, error });
    };
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      received += d;
      const got = answer();
      // A polite client stops at the answer (a hostile one only once it has sent everything).
      const complete = got && got.body.length >= Number(got.headers['content-length'] ?? 0);
      if (complete && (!opts.ignoreAnswer || sent >= opts.total)) finish();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', finish);
    // Half-open, the server's FIN leaves the socket open: done once there is nothing left to send.
    socket.on('end', () => {
      if (sent >= opts.total) finish();
    });

    const frame = (chunk: Buffer) =>
      opts.chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk;
    const pump = () => {
      while (!settled && !socket.destroyed && sent < opts.total) {
        if (!opts.ignoreAnswer && answer()) return;
        const size = Math.min(chunkBytes, opts.total - sent);
        const chunk = opts.fill ? opts.fill(sent, size) : filler.subarray(0, size);
        sent += chunk.length;
        const more = socket.write(frame(chunk));
        if (opts.intervalMs) {
          setTimeout(pump, opts.intervalMs);
          return;
        }
        if (!more) {
          socket.once('drain', pump);
          return;
        }
      }
      if (sent >= opts.total && !ended && !socket.destroyed) {
        ended = true;
        if (opts.chunked) socket.write('0\r\n\r\n');
        if (socket.readableEnded) finish();
      }
    };
    socket.once('connect', () => {
      socket.write(head);
      pump();
    });
  });
}
