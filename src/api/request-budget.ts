/**
 * Upstream requests per tool call. OnCall allows 300 requests a minute per user, so what a call
 * costs upstream matters as much as its latency. The HTTP client notes every request it sends
 * (retries included) in the count of the call it runs for; the server reads the count once the
 * call ends and logs it at debug level. AsyncLocalStorage keeps concurrent calls apart.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<{ requests: number }>();

/** Called by a backend for each request it sends upstream. */
export function noteUpstreamRequest(): void {
  const budget = current.getStore();
  if (budget) budget.requests++;
}

/** Run `fn`, counting the upstream requests made on its behalf. */
export async function countUpstreamRequests<T>(fn: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const budget = { requests: 0 };
  const result = await current.run(budget, fn);
  return { result, requests: budget.requests };
}
