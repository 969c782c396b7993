import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { IngestItem, IngestProgress, IngestReport, IngestSkip } from '../ports/ingestion.js';
import { invalidInput, MirageError } from '../errors.js';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from '../images/limits.js';
import type { ArchiveManifest, ArchiveStore, ArchiveWriter, CommitOptions, ImageRecord, NewArchiveImage } from '../ports/archive-store.js';
import type { ImageEmbedder } from '../ports/image-embedder.js';
import type { ModelBundle } from '../ports/model-bundle.js';
import { SkippedImage, type ImageSource } from './image-source.js';
import { prepareImage, type PreparedImage } from './prepare-image.js';
import { readSourceBytes, type ReadSourceOptions } from './read-source.js';
import type { HostResolver } from './fetch-url.js';
import { PathGuard, type IngestAccess } from './ingest-access.js';
import { openIngestWriter } from './ingest-writer.js';
import { resolveSources } from './resolve-sources.js';

export const DEFAULT_INGEST_BATCH_SIZE = 16;
export const MAX_INGEST_BATCH_SIZE = 256;
/** Images between commits: a killed run loses at most this many (a re-run redoes them). */
export const DEFAULT_CHECKPOINT_EVERY = 256;
const DEFAULT_URL_TIMEOUT_MS = 30_000;
/** Files read and decoded at once; sharp decodes on its own thread pool. */
const CONCURRENCY = 4;

export interface IngestImagesOptions {
  readonly store: ArchiveStore;
  /** Its image embedder indexes the archive; a new archive records its id and dimension. */
  readonly bundle: ModelBundle;
  readonly archive: string;
  /** A folder (walked recursively) or a text file listing paths or http(s) URLs; or items. */
  readonly source?: string;
  /** Files with the ids and attributes they get (see IngestItem); each is read through `access` as well. */
  readonly items?: readonly IngestItem[];
  /** What the run may read: LOCAL_ACCESS for the CLI's own user, remoteAccess(config) for anyone else. */
  readonly access: IngestAccess;
  /** Host name resolution for listed URLs (the system's by default). */
  readonly resolveHost?: HostResolver;
  /** Images per embedder call. */
  readonly batchSize?: number;
  /** Images between commits. */
  readonly checkpointEvery?: number;
  readonly limits?: ImageLimits;
  readonly urlTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: IngestProgress) => void;
  /** Checked right before each commit (CommitOptions.fence). */
  readonly fence?: () => Promise<void>;
}

export interface IngestResult extends IngestReport {
  /** The archive after the last commit. */
  readonly manifest: ArchiveManifest;
}

interface ReadyImage {
  readonly source: string;
  readonly hash: string;
  readonly prepared: PreparedImage;
  readonly id?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * Adds the images a source names to an archive (created on first use with the bundle's
 * embedder). Duplicates, by sha256 of the bytes, of anything in the archive or earlier in the
 * run are counted and passed over, so a re-run adds only what is new. The archive is committed
 * every `checkpointEvery` images and at the end; when the run is cancelled or fails, what was
 * already embedded is committed before the error propagates, so a hard kill loses at most the
 * images since the last checkpoint. Unusable inputs are skipped and reported with the reason.
 */
export async function ingestImages(options: IngestImagesOptions): Promise<IngestResult> {
  const { bundle, signal } = options;
  const commitOptions = options.fence ? { fence: options.fence } : {};
  const batchSize = checkedCount('Batch size', options.batchSize ?? DEFAULT_INGEST_BATCH_SIZE, MAX_INGEST_BATCH_SIZE);
  const checkpointEvery = checkedCount('checkpointEvery', options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY, Number.MAX_SAFE_INTEGER);
  const limits = options.limits ?? DEFAULT_IMAGE_LIMITS;
  signal?.throwIfAborted();
  const paths = await PathGuard.of(options.access);
  const readOptions: ReadSourceOptions = {
    limits,
    urlTimeoutMs: options.urlTimeoutMs ?? DEFAULT_URL_TIMEOUT_MS,
    paths,
    privateNetwork: options.access.privateNetwork,
    ...(options.resolveHost ? { resolve: options.resolveHost } : {}),
    ...(signal ? { signal } : {}),
  };

  if (options.source !== undefined) await paths.assertSource(options.source);
  const sources = await sourcesOf(options);
  const writer = await openIngestWriter(options.store, options.archive, bundle);
  const skipped: IngestSkip[] = [];
  let duplicates = 0;
  let added = 0;
  let done = 0;
  let sinceCommit = 0;
  /** Hashes (and given ids) taken by this run but not yet added to the writer. */
  const claimed = new Set<string>();
  const limit = pLimit(CONCURRENCY);
  const report = () => options.onProgress?.({ done, total: sources.length });

  /**
   * Reads, hashes and prepares one window of sources. Duplicates are decided in source order,
   * and skips are reported in source order, whatever order the work finished in.
   */
  const processWindow = async (window: readonly ImageSource[]): Promise<ReadyImage[]> => {
    const read = await Promise.all(window.map((item) => limit(() => readAndHash(item, readOptions))));
    const outcomes: (ReadyImage | IngestSkip | 'duplicate')[] = [];
    const fresh: Promise<void>[] = [];
    for (const [i, r] of read.entries()) {
      if ('reason' in r) outcomes[i] = r;
      else if ((r.id !== undefined ? writer.has(r.id) : writer.hasHash(r.hash)) || claimed.has(claimKey(r))) outcomes[i] = 'duplicate';
      else {
        claimed.add(claimKey(r));
        fresh.push(limit(async () => void (outcomes[i] = await prepareOrSkip(r, limits, bundle.imageEmbedder, claimed))));
      }
    }
    await Promise.all(fresh);
    const ready: ReadyImage[] = [];
    for (const outcome of outcomes) {
      if (outcome === 'duplicate') duplicates++;
      else if ('reason' in outcome) skipped.push(outcome);
      else ready.push(outcome);
    }
    done += window.length - ready.length;
    return ready;
  };

  const store = async (batch: readonly ReadyImage[]) => {
    signal?.throwIfAborted();
    const vectors = await bundle.imageEmbedder.embedImages(batch.map((r) => r.prepared.pixels));
    if (vectors.length !== batch.length) {
      throw new MirageError('MODEL_ERROR', `Embedder "${bundle.embedderId}" returned ${vectors.length} vectors for ${batch.length} images.`);
    }
    const createdAt = new Date().toISOString();
    await writer.add(batch.map((r, i) => newArchiveImage(writer, r, vectors[i] as Float32Array, createdAt)));
    for (const r of batch) claimed.delete(claimKey(r));
    added += batch.length;
    done += batch.length;
    sinceCommit += batch.length;
    if (sinceCommit >= checkpointEvery) {
      await writer.commit(commitOptions);
      sinceCommit = 0;
    }
    report();
  };

  const windowSize = Math.max(batchSize, 32);
  const windows = Array.from({ length: Math.ceil(sources.length / windowSize) }, (_, w) => sources.slice(w * windowSize, (w + 1) * windowSize));
  const pending: ReadyImage[] = [];
  let next: Promise<ReadyImage[]> | undefined;
  let manifest: ArchiveManifest;
  try {
    report();
    // The next window is read and decoded while the current one is embedded and written.
    next = windows.length > 0 ? processWindow(windows[0] as ImageSource[]) : undefined;
    for (let w = 0; w < windows.length; w++) {
      const ready = await (next as Promise<ReadyImage[]>);
      signal?.throwIfAborted();
      next = w + 1 < windows.length ? processWindow(windows[w + 1] as ImageSource[]) : undefined;
      pending.push(...ready);
      while (pending.length >= batchSize) await store(pending.splice(0, batchSize));
      report();
    }
    if (pending.length > 0) await store(pending);
    manifest = await writer.commit(commitOptions);
    report();
  } catch (e) {
    await next?.catch(() => undefined);
    await keepWhatWasAdded(writer, commitOptions);
    throw e;
  }
  return { archive: writer.name, added, duplicates, skipped, total: sources.length, manifest };
}

interface ReadImage {
  readonly source: string;
  readonly bytes: Uint8Array;
  readonly hash: string;
  readonly id?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** What makes two inputs the same image: the caller's id when it gave one, else the bytes. */
const claimKey = (r: { readonly hash: string; readonly id?: string }): string => (r.id !== undefined ? `id:${r.id}` : r.hash);

async function sourcesOf(options: Pick<IngestImagesOptions, 'source' | 'items'>): Promise<ImageSource[]> {
  if (options.items !== undefined) {
    return options.items.map((item) => ({
      kind: 'file',
      source: item.path,
      path: item.path,
      id: item.id,
      ...(item.attributes !== undefined ? { attributes: item.attributes } : {}),
    }));
  }
  if (options.source === undefined) throw invalidInput('Nothing to ingest: give a source (a folder or a listing) or items.');
  return resolveSources(options.source);
}

type ReadResult = ReadImage | IngestSkip;

async function readAndHash(item: ImageSource, options: ReadSourceOptions): Promise<ReadResult> {
  if (item.kind === 'skip') return { source: item.source, reason: item.reason };
  try {
    const bytes = await readSourceBytes(item, options);
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (item.kind === 'url') return { source: item.source, bytes, hash };
    const { id, attributes } = item;
    return { source: item.source, bytes, hash, ...(id !== undefined ? { id } : {}), ...(attributes !== undefined ? { attributes } : {}) };
  } catch (e) {
    if (e instanceof SkippedImage) return { source: item.source, reason: e.reason };
    throw e;
  }
}

async function prepareOrSkip(read: ReadImage, limits: ImageLimits, embedder: ImageEmbedder, claimed: Set<string>): Promise<ReadyImage | IngestSkip> {
  try {
    const { bytes: _bytes, ...rest } = read;
    return { ...rest, prepared: await prepareImage(read.bytes, limits, embedder) };
  } catch (e) {
    if (!(e instanceof SkippedImage)) throw e;
    // Unusable bytes are not "in the archive": a later copy is judged (and reported) on its own.
    claimed.delete(claimKey(read));
    return { source: read.source, reason: e.reason };
  }
}

/** Stable ids: the same bytes get the same id in every archive and every run. */
export function imageIdFor(hash: string): string {
  return `im-${hash.slice(0, 16)}`;
}

function newArchiveImage(writer: ArchiveWriter, ready: ReadyImage, vector: Float32Array, createdAt: string): NewArchiveImage {
  const short = imageIdFor(ready.hash);
  // Two different images sharing 64 bits of hash: the second takes the full hash as its id.
  const id = ready.id ?? (writer.has(short) ? `im-${ready.hash}` : short);
  const { full, thumb } = ready.prepared;
  const record: ImageRecord = {
    id,
    source: ready.source,
    hash: ready.hash,
    width: full.width,
    height: full.height,
    bytes: full.bytes.byteLength,
    createdAt,
    ...(ready.attributes !== undefined ? { attributes: ready.attributes } : {}),
  };
  return { record, full, thumb, vector };
}

/**
 * After a failure or cancellation: commits the images already added (they are complete), or
 * failing that drops them, so the archive is consistent and its lock released.
 */
async function keepWhatWasAdded(writer: ArchiveWriter, options: CommitOptions): Promise<void> {
  try {
    await writer.commit(options);
  } catch {
    const abort = (writer as ArchiveWriter & { abort?: () => Promise<void> }).abort;
    if (typeof abort === 'function') await abort.call(writer).catch(() => undefined);
  }
}

function checkedCount(what: string, value: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw invalidInput(`${what} must be a whole number from 1 to ${max}, got ${value}.`);
  return value;
}
