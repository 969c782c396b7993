/**
 * Ingestion benchmark: images/s and peak memory of `ingestImages` over a folder of JPEG photos,
 * with the Scenes embedder and with the fixture CLIP model (real ONNX Runtime sessions on the
 * tiny committed model, so the figures measure decoding, preprocessing, batching and storage,
 * not a real CLIP's arithmetic) at several batch sizes; then the time to open a 100k-image
 * archive with the index loaded into memory versus memory-mapped (view).
 *
 *   npx tsx --expose-gc bench/ingest-bench.ts [--images 240] [--batches 1,8,32] [--repeats 2] [--open-size 100000]
 *
 * Prints Markdown tables and writes bench-results/ingest-<date>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { ArchivesLayout } from '../core/adapters/local/archive-layout.js';
import { writeVersion } from '../core/adapters/local/archive-version.js';
import { writeManifest } from '../core/adapters/local/manifest-file.js';
import type { StoredRecord } from '../core/adapters/local/records-file.js';
import { createArchiveStore, createIndexFactory } from '../core/runtime/runtime.js';
import { createScenesBundle } from '../core/scenes/scenes-bundle.js';
import { ingestImages } from '../core/ingest/ingest-images.js';
import { LOCAL_ACCESS } from '../core/ingest/ingest-access.js';
import { describeModelFolder } from '../core/models/installed-models.js';
import { onnxLoaders } from '../core/models/onnx-loaders.js';
import type { ModelBundle } from '../core/ports/model-bundle.js';
import { Prng } from '../core/random/prng.js';
import { ClusteredVectors, rowsOf } from './clustered-vectors.js';

export interface IngestBenchOptions {
  readonly images: number;
  readonly width: number;
  readonly height: number;
  readonly batches: readonly number[];
  /** Runs per (embedder, batch); the machine may be shared, so the best run is reported. */
  readonly repeats: number;
  /** 0 skips the open measurement. */
  readonly openSize: number;
  readonly openRepeats: number;
  readonly clipDir: string;
  readonly seed: number;
  readonly outDir: string;
}

export interface IngestRun {
  readonly embedder: string;
  readonly batchSize: number;
  readonly images: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  /** images/s of every repeat, best first. */
  readonly allImagesPerSecond: readonly number[];
  /** Highest resident set size sampled during the run, bytes. */
  readonly peakRssBytes: number;
  /** Resident set size just before the run, bytes. */
  readonly startRssBytes: number;
}

export interface OpenResult {
  readonly size: number;
  readonly dim: number;
  readonly buildSeconds: number;
  readonly loadMs: readonly number[];
  readonly viewMs: readonly number[];
  /** Open plus the first query, which pays for paging the mapped file in. */
  readonly loadFirstSearchMs: number;
  readonly viewFirstSearchMs: number;
}

const log = (message: string) => process.stderr.write(`${message}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Photo-like JPEGs: smooth colour fields plus seeded grain, so decoding costs what photos cost. */
async function writePhotos(dir: string, count: number, width: number, height: number, seed: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const prng = new Prng(seed + i);
    const [r0, g0, b0, fx, fy] = [prng.int(0, 255), prng.int(0, 255), prng.int(0, 255), prng.next() * 0.05, prng.next() * 0.05];
    const data = Buffer.alloc(width * height * 3);
    let h = (seed + i) >>> 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
        const grain = (h & 31) - 16;
        const o = (y * width + x) * 3;
        data[o] = r0 + 60 * Math.sin(x * fx) + grain;
        data[o + 1] = g0 + 60 * Math.cos(y * fy) + grain;
        data[o + 2] = b0 + 40 * Math.sin((x + y) * fx) + grain;
      }
    }
    await sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 88 }).toFile(join(dir, `photo-${String(i).padStart(5, '0')}.jpg`));
  }
}

async function runIngest(photos: string, bundle: ModelBundle, batchSize: number): Promise<IngestRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mirage-ingest-bench-'));
  const store = createArchiveStore({ dataDir });
  globalThis.gc?.();
  const startRssBytes = process.memoryUsage().rss;
  let peakRssBytes = startRssBytes;
  const sample = () => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss));
  const timer = setInterval(sample, 20);
  const started = performance.now();
  try {
    const result = await ingestImages({ store, bundle, archive: 'bench', source: photos, access: LOCAL_ACCESS, batchSize, onProgress: sample });
    const seconds = (performance.now() - started) / 1000;
    sample();
    return {
      embedder: bundle.embedderId,
      batchSize,
      images: result.added,
      seconds,
      imagesPerSecond: result.added / seconds,
      allImagesPerSecond: [result.added / seconds],
      peakRssBytes,
      startRssBytes,
    };
  } finally {
    clearInterval(timer);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * A 100k-image archive made directly in the store's on-disk format: records and a real USearch
 * index written by the store's own version writer. The image files are left out; opening an
 * archive never reads them, and writing 200,000 of them would take the benchmark ten minutes.
 */
async function buildLargeArchive(root: string, size: number, dim: number, seed: number): Promise<number> {
  const started = performance.now();
  const factory = createIndexFactory();
  const store = createArchiveStore({ dataDir: root });
  const created = await (await store.create({ name: 'large', embedder: 'bench', dim, origin: { kind: 'ingest' } })).commit();
  const index = factory.create(dim, 'f32');
  const vectors = new ClusteredVectors(dim, 200, seed);
  const records: StoredRecord[] = [];
  const createdAt = new Date().toISOString();
  const chunk = 10_000;
  for (let first = 0; first < size; first += chunk) {
    const count = Math.min(chunk, size - first);
    const ids = Array.from({ length: count }, (_, k) => `im-${(first + k).toString(16).padStart(16, '0')}`);
    index.add(ids, rowsOf(vectors.sample(count, seed + first), dim));
    for (const id of ids) {
      records.push({
        record: { id, source: `/photos/${id}.jpg`, hash: id.slice(3).padStart(64, '0'), width: 640, height: 480, bytes: 90_000, createdAt },
        full: { mime: 'image/jpeg', width: 640, height: 480 },
        thumb: { mime: 'image/jpeg', width: 96, height: 72 },
      });
    }
    log(`  built ${first + count}/${size}`);
  }
  const layout = new ArchivesLayout(root).archive('large');
  const version = created.version + 1;
  await writeVersion(layout, version, records, index, {});
  await writeManifest(layout.manifest, { ...created, count: size, version, updatedAt: new Date().toISOString() });
  return (performance.now() - started) / 1000;
}

async function measureOpen(options: IngestBenchOptions): Promise<OpenResult> {
  const root = mkdtempSync(join(tmpdir(), 'mirage-open-bench-'));
  const dim = 512;
  try {
    log(`building a ${options.openSize}-image archive`);
    const buildSeconds = await buildLargeArchive(root, options.openSize, dim, options.seed);
    const store = createArchiveStore({ dataDir: root });
    const query = new ClusteredVectors(dim, 200, options.seed).sample(1, 999);
    const timeOpen = async (view: boolean, search: boolean) => {
      globalThis.gc?.();
      const started = performance.now();
      const archive = await store.open('large', { view });
      if (search) archive.index().search(query, 10);
      return performance.now() - started;
    };
    const loadMs: number[] = [];
    const viewMs: number[] = [];
    for (let r = 0; r < options.openRepeats; r++) {
      loadMs.push(await timeOpen(false, false));
      viewMs.push(await timeOpen(true, false));
    }
    return {
      size: options.openSize,
      dim,
      buildSeconds,
      loadMs,
      viewMs,
      loadFirstSearchMs: await timeOpen(false, true),
      viewFirstSearchMs: await timeOpen(true, true),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function runIngestBench(options: IngestBenchOptions): Promise<{ runs: IngestRun[]; open: OpenResult | undefined }> {
  const work = mkdtempSync(join(tmpdir(), 'mirage-photos-'));
  try {
    const photos = join(work, 'photos');
    log(`writing ${options.images} ${options.width}x${options.height} JPEGs`);
    await writePhotos(photos, options.images, options.width, options.height, options.seed);
    const clipModel = describeModelFolder(options.clipDir, 'clip-fixture');
    if (!clipModel || clipModel.kind !== 'clip') throw new Error(`${options.clipDir} is not a CLIP model folder`);
    const clip = await onnxLoaders({ executionProvider: 'cpu' }).clip(clipModel);
    const scenes = createScenesBundle();
    // One small unrecorded run per embedder, so the first recorded one pays no warm-up (JIT,
    // sharp's thread pool, ONNX Runtime's first-run allocations).
    const warmup = join(work, 'warmup');
    await writePhotos(warmup, 8, options.width, options.height, options.seed + 1_000_000);
    for (const bundle of [scenes, clip]) await runIngest(warmup, bundle, 8);
    const runs: IngestRun[] = [];
    for (const bundle of [scenes, clip]) {
      for (const batchSize of options.batches) {
        log(`ingesting with ${bundle.embedderId}, batch ${batchSize}`);
        const repeats: IngestRun[] = [];
        for (let r = 0; r < options.repeats; r++) repeats.push(await runIngest(photos, bundle, batchSize));
        repeats.sort((a, b) => b.imagesPerSecond - a.imagesPerSecond);
        runs.push({ ...(repeats[0] as IngestRun), allImagesPerSecond: repeats.map((r) => r.imagesPerSecond) });
      }
    }
    return { runs, open: options.openSize > 0 ? await measureOpen(options) : undefined };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

export function markdownReport(options: IngestBenchOptions, runs: readonly IngestRun[], open: OpenResult | undefined): string {
  const ingestion = [
    `## Ingestion (${options.images} JPEG photos, ${options.width}x${options.height}; best of ${options.repeats} runs)`,
    '',
    '| embedder | batch | images/s | all runs (images/s) | seconds | RSS before (MiB) | peak RSS (MiB) |',
    '|---|---:|---:|---|---:|---:|---:|',
    ...runs.map(
      (r) =>
        `| ${r.embedder} | ${r.batchSize} | ${r.imagesPerSecond.toFixed(1)} | ${r.allImagesPerSecond.map((x) => x.toFixed(1)).join(', ')} | ` +
        `${r.seconds.toFixed(2)} | ${mb(r.startRssBytes)} | ${mb(r.peakRssBytes)} |`,
    ),
  ];
  if (!open) return ingestion.join('\n');
  return [
    ...ingestion,
    '',
    `## Opening a ${open.size.toLocaleString('en')}-image archive (${open.dim}-d f32; built in ${open.buildSeconds.toFixed(0)} s)`,
    '',
    '| mode | open, median of runs (ms) | runs (ms) | open + first search (ms) |',
    '|---|---:|---|---:|',
    `| load | ${median(open.loadMs).toFixed(0)} | ${open.loadMs.map((m) => m.toFixed(0)).join(', ')} | ${open.loadFirstSearchMs.toFixed(0)} |`,
    `| view (memory-mapped) | ${median(open.viewMs).toFixed(0)} | ${open.viewMs.map((m) => m.toFixed(0)).join(', ')} | ${open.viewFirstSearchMs.toFixed(0)} |`,
  ].join('\n');
}

export function parseIngestBenchArgs(argv: readonly string[]): IngestBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      images: { type: 'string', default: '240' },
      width: { type: 'string', default: '640' },
      height: { type: 'string', default: '480' },
      batches: { type: 'string', default: '1,8,32' },
      repeats: { type: 'string', default: '2' },
      'open-size': { type: 'string', default: '100000' },
      'open-repeats': { type: 'string', default: '3' },
      clip: { type: 'string', default: 'test/fixtures/models/clip' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  const options: IngestBenchOptions = {
    images: Number(values.images),
    width: Number(values.width),
    height: Number(values.height),
    batches: values.batches.split(',').map(Number),
    repeats: Number(values.repeats),
    openSize: Number(values['open-size']),
    openRepeats: Number(values['open-repeats']),
    clipDir: resolve(values.clip),
    seed: Number(values.seed),
    outDir: values.out,
  };
  const counts = [options.images, options.width, options.height, options.repeats, options.openRepeats, ...options.batches];
  if (counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('images, width, height, batches, repeats and open-repeats must be positive integers');
  if (!Number.isInteger(options.openSize) || options.openSize < 0) throw new Error('open-size must be a whole number (0 skips it)');
  return options;
}

export async function main(argv: readonly string[]): Promise<void> {
  const options = parseIngestBenchArgs(argv);
  const { runs, open } = await runIngestBench(options);
  process.stdout.write(`${markdownReport(options, runs, open)}\n`);
  mkdirSync(options.outDir, { recursive: true });
  const path = join(options.outDir, `ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { cpu: cpus()[0]?.model, cores: availableParallelism(), memoryBytes: totalmem(), node: process.version };
  writeFileSync(path, JSON.stringify({ date: new Date().toISOString(), machine, options, runs, open }, null, 2));
  log(`wrote ${path}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
