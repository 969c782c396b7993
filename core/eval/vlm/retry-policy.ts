import type { Prng } from '../../random/prng.js';

/** 408 and 429 mean "try again later"; 5xx are the server's own, usually passing, failures. */
export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/**
 * The server's requested wait in milliseconds, from OpenAI's retry-after-ms or the standard
 * Retry-After (delta-seconds or an HTTP date); undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with full jitter: uniform in [0, min(max, base * 2^retry)], so that many
 * episodes rate-limited together do not all come back at the same instant.
 */
export function backoffMs(retry: number, baseMs: number, maxMs: number, prng: Prng): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** retry);
  return Math.round(prng.next() * ceiling);
}
