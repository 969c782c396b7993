import { invalidInput, MirageError } from '../errors.js';
import type { ArchiveManifest, ArchiveStore, ArchiveWriter } from '../ports/archive-store.js';
import type { ImageEmbedder } from '../ports/image-embedder.js';
import type { Quantization } from '../ports/vector-index.js';
import { DEFAULT_NEAR_DUPLICATE_RATE } from './sampler.js';
import { ScenesImageEmbedder } from './scenes-image-embedder.js';
import { SCENES_TRUTH_SIDECAR, type SceneTruthRow } from './truth.js';
import { prepareBatch, type PreparedImage, type WorldBatch } from './world-batch.js';
import type { EmbeddedImage } from './world-worker.js';
import { WorldWorkers } from './world-workers.js';

export { sceneImageId } from './world-batch.js';

export const MIN_WORLD_SIZE = 100;
export const MAX_WORLD_SIZE = 1_000_000;
const DEFAULT_BATCH_SIZE = 64;
const MAX_BATCH_SIZE = 4096;
/** Images between intermediate commits, so that a killed build keeps most of its work. */
const DEFAULT_COMMIT_EVERY = 50_000;
/**
 * Batches rendered and encoded while the current one is embedded and written. sharp works on
 * its own threads, so this keeps both cores busy without holding much in memory.
 */
const BATCHES_AHEAD = 3;
/** Largest thread count a build takes. */
const MAX_THREADS = 64;

export interface BuildWorldOptions {
  readonly store: ArchiveStore;
  readonly embedder: ImageEmbedder;
  readonly name: string;
  /** Number of images, MIN_WORLD_SIZE to MAX_WORLD_SIZE. */
  readonly size: number;
  readonly seed: number;
  /** Share of near-duplicate scenes (sampler.ts); 0.4 by default. Recorded in the manifest. */
  readonly nearDuplicateRate?: number;
  readonly quantization?: Quantization;
  readonly overwrite?: boolean;
  readonly batchSize?: number;
  /** Images between intermediate commits (default 50,000). */
  readonly commitEvery?: number;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
  /**
   * Worker threads that render and embed batches (default 1: this thread and sharp's). Only the
   * Scenes embedder, which a thread can rebuild from its settings, runs on them; any other
   * embedder embeds in this thread.
   */
  readonly threads?: number;
}

/**
 * Builds a Scenes world archive: scene i = sceneAt(seed, i), rendered, encoded, embedded and
 * stored with its caption; the scenes go to the ground-truth sidecar (see truth.ts). The same
 * (seed, size) always gives the same images, vectors and captions.
 *
 * The archive is built out of sight (a staged create): it appears with its first commit, every
 * `commitEvery` images and at the end. A build that fails (a full disk, a cancellation) before
 * that leaves nothing, or, when it was to overwrite a world, the previous world as it was; one
 * that fails later leaves the archive as of its last commit. Build again with overwrite.
 */
export async function buildWorld(options: BuildWorldOptions): Promise<ArchiveManifest> {
  const { store, embedder, name, size, seed, signal } = options;
  const { batchSize, commitEvery, threads } = checkedOptions(options);
  const nearDuplicateRate = options.nearDuplicateRate ?? DEFAULT_NEAR_DUPLICATE_RATE;
  signal?.throwIfAborted();

  const writer = await store.create({
    name,
    embedder: embedder.id,
    dim: embedder.dim,
    ...(options.quantization ? { quantization: options.quantization } : {}),
    origin: { kind: 'scenes', seed, size, nearDuplicateRate },
    ...(options.overwrite ? { overwrite: true } : {}),
    staged: true,
  });
  const createdAt = new Date().toISOString();
  const batchCount = Math.ceil(size / batchSize);
  const batchAt = (b: number): WorldBatch => ({ seed, nearDuplicateRate, first: b * batchSize, count: Math.min(batchSize, size - b * batchSize), createdAt });
  const workers = threads > 1 && embedder instanceof ScenesImageEmbedder ? new WorldWorkers(threads, embedder.config) : undefined;
  const produce = workers ? (b: number) => workers.embed(batchAt(b)) : (b: number) => prepareBatch(batchAt(b)).then((batch) => embedBatch(embedder, batch));
  const ahead = workers ? Math.max(BATCHES_AHEAD, 2 * threads + 1) : BATCHES_AHEAD;

  const rendering: Promise<EmbeddedImage[]>[] = [];
  let nextBatch = 0;
  const renderAhead = () => {
    while (rendering.length < ahead && nextBatch < batchCount) rendering.push(produce(nextBatch++));
  };
  let done = 0;
  let sinceCommit = 0;
  const storeBatch = async (batch: readonly EmbeddedImage[]) => {
    await writer.add(batch.map((p) => ({ record: p.record, full: p.full, thumb: p.thumb, vector: p.vector })));
    const rows: SceneTruthRow[] = batch.map((p) => ({ id: p.record.id, scene: p.scene }));
    await writer.appendSidecar(SCENES_TRUTH_SIDECAR, rows);
    done += batch.length;
    sinceCommit += batch.length;
    if (sinceCommit >= commitEvery && done < size) {
      await writer.commit();
      sinceCommit = 0;
    }
    options.onProgress?.(done, size);
  };

  // Three stages overlap: sharp renders ahead on its threads, this thread (or the worker
  // threads) embeds batch b + 1 while the store writes batch b (its writes mostly wait on the disk).
  let storing: Promise<void> = Promise.resolve();
  try {
    renderAhead();
    while (rendering.length > 0) {
      const batch = await (rendering.shift() as Promise<EmbeddedImage[]>);
      signal?.throwIfAborted();
      renderAhead();
      await storing;
      signal?.throwIfAborted();
      storing = storeBatch(batch);
      // Awaited on the next turn; this only keeps an early failure from counting as unhandled.
      storing.catch(() => undefined);
    }
    await storing;
    return await writer.commit();
  } catch (e) {
    // Batches still rendering would otherwise reject with nobody listening.
    for (const p of rendering) p.catch(() => undefined);
    await storing.catch(() => undefined);
    await abortIfPossible(writer);
    throw e;
  } finally {
    await workers?.close();
  }
}

function checkedOptions(options: BuildWorldOptions): { batchSize: number; commitEvery: number; threads: number } {
  const { size, seed } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const commitEvery = options.commitEvery ?? DEFAULT_COMMIT_EVERY;
  if (!Number.isInteger(size) || size < MIN_WORLD_SIZE || size > MAX_WORLD_SIZE) {
    throw invalidInput(`World size must be a whole number from ${MIN_WORLD_SIZE} to ${MAX_WORLD_SIZE.toLocaleString('en')}, got ${size}.`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw invalidInput(`World seed must be a whole number from 0 to 4294967295, got ${seed}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw invalidInput(`Batch size must be a whole number from 1 to ${MAX_BATCH_SIZE}, got ${batchSize}.`);
  }
  if (!Number.isInteger(commitEvery) || commitEvery < 1) throw invalidInput(`commitEvery must be a whole number >= 1, got ${commitEvery}.`);
  const rate = options.nearDuplicateRate;
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw invalidInput(`The near-duplicate rate must lie in [0, 1], got ${rate}.`);
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) throw invalidInput(`Threads must be a whole number from 1 to ${MAX_THREADS}, got ${threads}.`);
  return { batchSize, commitEvery, threads };
}

async function embedBatch(embedder: ImageEmbedder, batch: readonly PreparedImage[]): Promise<EmbeddedImage[]> {
  const vectors = await embedder.embedImages(batch.map((p) => p.pixels));
  if (vectors.length !== batch.length) {
    throw new MirageError('MODEL_ERROR', `Embedder "${embedder.id}" returned ${vectors.length} vectors for ${batch.length} images.`);
  }
  return batch.map(({ pixels: _pixels, ...image }, k) => ({ ...image, vector: vectors[k] as Float32Array }));
}

/**
 * Drops uncommitted work (for a staged archive never committed, the whole archive) and frees the
 * archive for the next writer. abort() is not part of the ArchiveWriter port (the local store
 * offers it); without it the pending work is simply lost.
 */
async function abortIfPossible(writer: ArchiveWriter): Promise<void> {
  const abort = (writer as ArchiveWriter & { abort?: () => Promise<void> }).abort;
  if (typeof abort === 'function') await abort.call(writer).catch(() => undefined);
}
