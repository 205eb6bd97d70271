/**
 * How long a client may take to send a request, for both HTTP servers (the MCP transport and the
 * REST facade): its headers, and the whole request with its body. Node answers 408 and closes
 * the connection past either, so a slow sender cannot hold a connection, or a half-read body,
 * open for long. (Node's own defaults are 60 s and 5 minutes.) A response may take as long as it
 * likes: SSE streams are not affected.
 */
export const REQUEST_TIMEOUTS = { headersMs: 10_000, requestMs: 30_000 } as const;

/** Node's `http.createServer` options for those timeouts. */
export function timeoutServerOptions(
  headersMs: number = REQUEST_TIMEOUTS.headersMs,
  requestMs: number = REQUEST_TIMEOUTS.requestMs,
) {
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(headersMs, requestMs);
  return {
    headersTimeout,
    requestTimeout: requestMs,
    // Node checks the timeouts on this interval (30 s by default, which would double them).
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, headersTimeout / 4)),
  };
}
