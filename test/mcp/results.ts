import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';

/** Narrow views of a tools/call result, failing the test on a result of the wrong kind. */
export function ok(result: unknown): CallToolResult {
  const r = result as CallToolResult;
  expect(r.isError, `tool failed: ${textOf(r)}`).not.toBe(true);
  return r;
}

export function failed(result: unknown): string {
  const r = result as CallToolResult;
  expect(r.isError, `expected an error, got: ${textOf(r)}`).toBe(true);
  return textOf(r);
}

export const textOf = (r: CallToolResult): string =>
  r.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');

export const imagesOf = (r: CallToolResult) =>
  r.content.flatMap((b) => (b.type === 'image' ? [{ mimeType: b.mimeType, bytes: Buffer.from(b.data, 'base64') }] : []));

export const linksOf = (r: CallToolResult) => r.content.flatMap((b) => (b.type === 'resource_link' ? [b] : []));

export function structured<T>(r: CallToolResult): T {
  expect(r.structuredContent).toBeDefined();
  return r.structuredContent as T;
}

/** Reference metrics from the definitions (ChatIR cumulative hits, PlugIR BRI), not from core/metrics. */
export function referenceMetrics(ranks: readonly number[], k: number) {
  const best = ranks.map((_, t) => Math.min(...ranks.slice(0, t + 1)));
  const logs = best.map((r) => Math.log(r + 1));
  const intervals = ranks.length - 1;
  let area = 0;
  for (let t = 0; t < intervals; t++) area += ((logs[t] ?? 0) + (logs[t + 1] ?? 0)) / 2;
  return {
    cumulative: best.map((r) => (r < k ? 1 : 0)),
    bri: intervals === 0 ? (logs[0] ?? 0) : area / intervals,
  };
}
