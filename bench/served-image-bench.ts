/**
 * What serving one large photo to clients costs (issue: hardening, section 2): a camera JPEG of
 * about 13 MB, 4000 x 4000, read through the engine and re-encoded with clientImage the way the
 * MCP server's archive-image resource (2 MiB cap) and show_image (256 KiB cap) do.
 *   npm run bench -- served-image --runs 10 --bursts 1,4,16,32
 * Reports the bytes served, the time per request (p50, p95) and the process's resident memory
 * before and during a burst of concurrent resource requests. The archive is made by a child
 * process, so that this one starts like a server that has only opened it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { clientImage } from '../core/images/client-image.js';
import { LOCAL_ACCESS } from '../core/ingest/ingest-access.js';
import { ingestImages } from '../core/ingest/ingest-images.js';
import { loadConfig } from '../core/config/config.js';
import { createRuntime } from '../core/runtime/runtime.js';
import { createScenesBundle } from '../core/scenes/scenes-bundle.js';
import { percentile } from './stats.js';

const SIDE = 4000;
const RESOURCE_CAP = 2 * 1024 * 1024;
const BLOCK_CAP = 256 * 1024;
const MB = 1024 * 1024;

/** Smooth gradients under noise, at the quality that lands nearest 13 MB: a camera-like file. */
async function largePhoto(): Promise<Buffer> {
  const data = Buffer.alloc(SIDE * SIDE * 3);
  let x = 7;
  for (let i = 0; i < data.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const pixel = Math.floor(i / 3);
    const base = ((pixel % SIDE) + Math.floor(pixel / SIDE)) / 32;
    data[i] = (base + (x >>> 26)) & 0xff;
  }
  let best = Buffer.alloc(0);
  for (const quality of [80, 85, 90, 95, 98]) {
    const bytes = await sharp(data, { raw: { width: SIDE, height: SIDE, channels: 3 } }).jpeg({ quality }).toBuffer();
    if (Math.abs(bytes.length - 13 * MB) < Math.abs(best.length - 13 * MB)) best = bytes;
  }
  return best;
}

const rssMb = () => process.memoryUsage().rss / MB;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** The archive "photos" under root/data, holding the large photo. */
async function prepare(root: string): Promise<void> {
  const photos = join(root, 'photos');
  await mkdir(photos);
  await writeFile(join(photos, 'large.jpg'), await largePhoto());
  const runtime = createRuntime(loadConfig({}, { dataDir: join(root, 'data') }), { ingestAccess: 'local' });
  await ingestImages({ store: runtime.archives, bundle: createScenesBundle(), archive: 'photos', source: photos, access: LOCAL_ACCESS });
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { runs: { type: 'string', default: '10' }, bursts: { type: 'string', default: '1,4,16,32' }, prepare: { type: 'string' } },
  });
  if (values.prepare !== undefined) return prepare(values.prepare);
  const runs = Number(values.runs);
  const bursts = values.bursts.split(',').map(Number);
  const root = await mkdtemp(join(tmpdir(), 'mirage-served-bench-'));
  try {
    execFileSync(process.execPath, [process.argv[1] as string, 'served-image', '--prepare', root], { stdio: 'inherit' });
    const runtime = createRuntime(loadConfig({}, { dataDir: join(root, 'data') }), { ephemeralSessions: true });
    const id = [...(await runtime.archives.open('photos')).records()][0]?.id ?? '';
    const read = () => runtime.engine.getImage({ kind: 'archive', archive: 'photos', id });
    const stored = await read();

    globalThis.gc?.();
    const rssBefore = rssMb();
    const rows: { request: string; cap: number; bytes: number; base64: number; side: number; p50: number; p95: number }[] = [];
    for (const [request, cap] of [
      ['archive-image resource', RESOURCE_CAP],
      ['show_image block', BLOCK_CAP],
    ] as const) {
      const times: number[] = [];
      let served = stored;
      for (let r = 0; r < runs; r++) {
        const { ms, value } = await timed(() => clientImage(async () => (await read()).bytes, { maxBytes: cap }));
        times.push(ms);
        served = value;
      }
      rows.push({
        request,
        cap,
        bytes: served.bytes.length,
        base64: Math.ceil(served.bytes.length / 3) * 4,
        side: Math.max(served.width, served.height),
        p50: percentile(times, 50),
        p95: percentile(times, 95),
      });
    }

    // Bursts of concurrent resource requests, one after the other: the peak so far after each. As the
    // resource does, each request reads the stored image when its turn to be encoded comes.
    let peak = rssMb();
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 10);
    const burstRows: { requests: number; ms: number; peakMb: number }[] = [];
    for (const requests of bursts) {
      const { ms } = await timed(() => Promise.all(Array.from({ length: requests }, () => clientImage(async () => (await read()).bytes, { maxBytes: RESOURCE_CAP }))));
      burstRows.push({ requests, ms, peakMb: Math.max(peak, rssMb()) });
    }
    clearInterval(sampler);
    await runtime.engine.close();

    console.log(`\nStored photo: ${SIDE}x${SIDE} JPEG, ${(stored.bytes.length / MB).toFixed(1)} MB (${((Math.ceil(stored.bytes.length / 3) * 4) / MB).toFixed(1)} MB as base64, what the resource served before)`);
    console.log(`\n| request | cap | served bytes | as base64 | longest side | p50 ms | p95 ms |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
    for (const r of rows) {
      console.log(`| ${r.request} | ${r.cap / 1024} KiB | ${r.bytes} | ${r.base64} | ${r.side} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} |`);
    }
    console.log(`\nResident memory: ${rssBefore.toFixed(0)} MB after opening the archive. Bursts of concurrent resource requests:`);
    console.log('\n| concurrent requests | ms for the burst | peak RSS so far (MB) |\n| ---: | ---: | ---: |');
    for (const b of burstRows) console.log(`| ${b.requests} | ${b.ms.toFixed(0)} | ${b.peakMb.toFixed(0)} |`);
    await mkdir('bench-results', { recursive: true });
    const file = `bench-results/served-image-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    await writeFile(file, JSON.stringify({ storedBytes: stored.bytes.length, side: SIDE, runs, rows, rssBeforeMb: rssBefore, bursts: burstRows }, null, 2) + '\n');
    console.log(`\nwrote ${file}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
