import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalArchiveStore } from '../../core/adapters/local/local-archive-store.js';
import type { Engine } from '../../core/ports/engine.js';
import { createQueueEngine } from '../../core/runtime/create-queue-engine.js';
import { renderScene } from '../../core/scenes/renderer.js';
import { sceneAt } from '../../core/scenes/sampler.js';
import { UsearchIndexFactory } from '../../core/adapters/usearch/usearch-index-factory.js';
import type { IngestReport } from '../../core/ports/ingestion.js';
import { encodeImage } from '../../core/images/encode.js';
import type { Round } from '../../core/session/session.js';
import { completedJobs, deleteKeys, TEST_REDIS_URL, uniquePrefix } from './redis-harness.js';
import { WorkerChild } from '../../workers/worker-child.js';

const ARCHIVE = 'shared';
const BASE_SIZE = 40;
const prefix = uniquePrefix();
let root: string;
let dataDir: string;
let workers: WorkerChild[] = [];
let engine: Engine;

/** sha256 of every image file written, by folder. */
const written = new Map<string, string[]>();

/** PNG files of rendered scenes (a few scenes of a world render alike, so some bytes repeat). */
async function sceneFolder(name: string, indices: readonly number[]): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  const hashes: string[] = [];
  for (const i of indices) {
    const png = await encodeImage(await renderScene(sceneAt(77, i), { size: 128 }));
    await writeFile(path.join(dir, `scene-${i}.png`), png.bytes);
    hashes.push(createHash('sha256').update(png.bytes).digest('hex'));
  }
  written.set(dir, hashes);
  return dir;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mirage-sharing-'));
  dataDir = path.join(root, 'data');
  // Ingestion through the queue reads only below the roots its workers were given.
  // and the private network only because the test serves an image from this machine.
  const env = { MIRAGE_INGEST_ROOTS: root, MIRAGE_INGEST_PRIVATE_NETWORK: 'true' };
  workers = await Promise.all([0, 1].map(() => WorkerChild.start({ redisUrl: TEST_REDIS_URL, prefix, dataDir, env })));
  engine = createQueueEngine({ redisUrl: TEST_REDIS_URL, prefix, sessionTtlSeconds: 600 });
});

afterAll(async () => {
  await engine?.close();
  await Promise.all(workers.map((w) => w.stop()));
  await deleteKeys(TEST_REDIS_URL, prefix);
  await rm(root, { recursive: true, force: true });
});

describe('one archive, several workers, concurrent ingest and search', () => {
  it('serialises the writers, keeps every search on one committed version, and shows every worker the new images', async () => {
    const [base, folderA, b, c] = await Promise.all([
      sceneFolder('base', range(100, 100 + BASE_SIZE)),
      sceneFolder('a', range(0, 30)),
      sceneFolder('b', range(30, 60)),
      sceneFolder('c', range(50, 70)),
    ]);
    // Ingest "a" lists folder a and one image this test serves only when told to: while it waits
    // for it, that ingest holds the archive, so the others certainly meet it.
    const held = await encodeImage(await renderScene(sceneAt(77, 500), { size: 128 }));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let requested: () => void = () => undefined;
    const heldRequested = new Promise<void>((resolve) => (requested = resolve));
    const server = createServer((_req, res) => {
      requested();
      void released.then(() => res.writeHead(200, { 'content-type': 'image/png' }).end(held.bytes));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = path.join(root, 'a.txt');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/held.png`;
    await writeFile(a, [...(await readdir(folderA)).map((name) => path.join(folderA, name)), url].join('\n'));
    written.set(a, [...(written.get(folderA) ?? []), createHash('sha256').update(held.bytes).digest('hex')]);
    const distinct = (...dirs: string[]) => new Set(dirs.flatMap((d) => written.get(d) ?? []));
    const baseCount = distinct(base).size;
    // The first ingest creates the archive (through the queue, like the others).
    expect(await engine.ingest({ archive: ARCHIVE, source: base, embedder: 'scenes' })).toMatchObject({ added: baseCount });
    const session = await engine.startSession({ archive: ARCHIVE, strategy: 'text', k: 20, seed: 1 });

    let ingesting = true;
    const searches: Round[] = [];
    const search = (async () => {
      const queries = ['a red car', 'a blue boat at night', 'a yellow house', 'a white dog on grass'];
      for (let i = 0; ingesting; i++) {
        const s = await engine.startSession({ archive: ARCHIVE, strategy: 'text', k: 20, seed: i });
        searches.push(await engine.runRound(s.id, { query: queries[i % queries.length] as string }));
      }
    })();
    const first = engine.ingest({ archive: ARCHIVE, source: a });
    await heldRequested;
    const others = [b, c].map((source) => engine.ingest({ archive: ARCHIVE, source }));
    // A second writer is sent back to the queue while the first holds the archive.
    await Promise.race(workers.map((w) => w.logged((l) => l.job === 'ingest' && String(l.msg).startsWith('job put back'))));
    release();
    const reports = await Promise.all([first, ...others]).finally(() => {
      ingesting = false;
      server.closeAllConnections();
      server.close();
    });
    await search;

    // Folder c repeats 10 images of b: like any repeated bytes, they are recognised, not added twice.
    const total = distinct(base, a, b, c).size;
    const added = reports.reduce((n, r: IngestReport) => n + r.added, 0);
    const duplicates = reports.reduce((n, r: IngestReport) => n + r.duplicates, 0);
    expect([added, duplicates]).toEqual([total - baseCount, 81 - (total - baseCount)]);
    expect(duplicates).toBeGreaterThanOrEqual(10);

    const archive = await new LocalArchiveStore({ root: dataDir, indexFactory: new UsearchIndexFactory() }).open(ARCHIVE);
    const records = [...archive.records()];
    expect(archive.manifest.count).toBe(total);
    expect(archive.index().size).toBe(total);
    expect(new Set(records.map((r) => r.id)).size).toBe(total);
    expect(new Set(records.map((r) => r.hash)).size).toBe(total);
    expect((await engine.listArchives()).find((m) => m.name === ARCHIVE)?.count).toBe(total);

    // Searches during ingestion all worked, each on a whole version: distinct hits, all real images.
    expect(searches.length).toBeGreaterThan(0);
    for (const round of searches) {
      expect(new Set(round.hits.map((h) => h.id)).size).toBe(round.hits.length);
      for (const hit of round.hits) expect(archive.record(hit.id)).toBeDefined();
    }

    // Every new image is visible to every worker right after the ingest replied.
    await engine.runRound(session.id, { query: 'a green tree' });
    const baseSources = new Set(records.filter((r) => r.source.startsWith(`${base}/`)).map((r) => r.id));
    const newIds = records.filter((r) => !baseSources.has(r.id)).map((r) => r.id);
    expect(newIds).toHaveLength(total - baseCount);
    const ranks = await Promise.all(newIds.map((id) => engine.rankOf(session.id, 0, id)));
    for (const rank of ranks) expect(rank).toBeGreaterThanOrEqual(0);
    expect(new Set(ranks).size).toBe(ranks.length);
    const rankJobs = (await completedJobs(TEST_REDIS_URL, prefix, 'lookups')).filter((job) => job.name === 'rank');
    for (const w of workers) expect(rankJobs.filter((job) => job.processedBy === w.name).length).toBeGreaterThan(0);
  }, 90_000);
});
