import { SkippedImage } from './image-source.js';

export interface FetchUrlOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
}

/**
 * Downloads one listed image. Every failure (no answer in time, refused connection, an HTTP
 * error, a body over the size limit) skips the image with the reason; only the run's own
 * cancellation propagates.
 */
export async function fetchUrlBytes(url: string, options: FetchUrlOptions): Promise<Uint8Array> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(url, { signal, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel();
      throw new SkippedImage(`unreachable URL (HTTP ${response.status})`);
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > options.maxBytes) {
      await response.body?.cancel();
      throw tooBig(declared, options.maxBytes);
    }
    return await readCapped(response, options.maxBytes);
  } catch (e) {
    options.signal?.throwIfAborted();
    if (e instanceof SkippedImage) throw e;
    if (timeout.aborted) throw new SkippedImage(`unreachable URL (no answer within ${options.timeoutMs / 1000} s)`);
    throw new SkippedImage(`unreachable URL (${networkReason(e)})`);
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    const bytes = chunk as Uint8Array;
    total += bytes.byteLength;
    if (total > maxBytes) throw tooBig(total, maxBytes);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

const tooBig = (bytes: number, max: number) => new SkippedImage(`over the size limit (more than ${max} bytes; ${bytes} seen)`);

function networkReason(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  return cause instanceof Error ? cause.message || cause.name : String(cause);
}
