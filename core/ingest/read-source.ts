import { readFile, stat } from 'node:fs/promises';
import type { ImageLimits } from '../images/limits.js';
import { fetchUrlBytes, type HostResolver } from './fetch-url.js';
import { SkippedImage, type ImageSource } from './image-source.js';
import type { PathGuard } from './ingest-access.js';

export interface ReadSourceOptions {
  readonly limits: ImageLimits;
  readonly urlTimeoutMs: number;
  readonly signal?: AbortSignal;
  /** Where files may be read from. */
  readonly paths: PathGuard;
  /** Whether URLs may reach loopback and private network addresses. */
  readonly privateNetwork: boolean;
  readonly resolve?: HostResolver;
}

/** The encoded bytes of a file or URL; SkippedImage says why there are none to use. */
export async function readSourceBytes(
  item: Extract<ImageSource, { kind: 'file' | 'url' }>,
  options: ReadSourceOptions,
): Promise<Uint8Array> {
  const { maxBytes } = options.limits;
  const bytes =
    item.kind === 'url'
      ? await fetchUrlBytes(item.url, {
          timeoutMs: options.urlTimeoutMs,
          maxBytes,
          privateNetwork: options.privateNetwork,
          ...(options.resolve ? { resolve: options.resolve } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        })
      : await readLocalFile(item.path, maxBytes, options.paths);
  if (bytes.byteLength === 0) throw new SkippedImage('zero bytes');
  return bytes;
}

async function readLocalFile(path: string, maxBytes: number, paths: PathGuard): Promise<Uint8Array> {
  try {
    const allowed = await paths.inside(path);
    if (allowed === undefined) throw new SkippedImage('outside the folders this server may ingest from');
    const { size } = await stat(allowed);
    if (size > maxBytes) throw new SkippedImage(`over the size limit (${size} bytes; the limit is ${maxBytes})`);
    return await readFile(allowed);
  } catch (e) {
    if (e instanceof SkippedImage) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SkippedImage('not found');
    if (code === 'EACCES' || code === 'EPERM') throw new SkippedImage('unreadable (permission denied)');
    if (code === 'EISDIR') throw new SkippedImage('is a folder, not an image');
    throw new SkippedImage(`unreadable (${e instanceof Error ? e.message : String(e)})`);
  }
}
