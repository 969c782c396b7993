import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCESS } from '../../core/ingest/ingest-access.js';
import { createArchiveStore } from '../../core/runtime/runtime.js';
import { ingestJob } from '../../workers/handlers/ingest-job.js';
import { picture, writeBytes } from '../ingest/image-files.js';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../queue/redis-harness.js';
import { jobRun } from './fake-worker-context.js';
import { workerContext } from './worker-context-fixture.js';

const ARCHIVE = 'fenced';
const prefix = uniquePrefix();
let root: string;
let ctx: ReturnType<typeof workerContext>;
let held: ServerResponse | undefined;
let slowAsked: () => void;
const slowRequested = new Promise<void>((resolve) => (slowAsked = resolve));
let slowUrl: string;
const server = createServer((req, res) => {
  // The first request for the slow image hangs until the test lets it go.
  held = res;
  slowAsked();
});

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mirage-fence-'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  slowUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow.png`;
  // The local user's access: the slow image is served from this machine.
  ctx = workerContext(path.join(root, 'data'), prefix, { ingestAccess: LOCAL_ACCESS });
});

afterAll(async () => {
  ctx?.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await deleteKeys(TEST_REDIS_URL, prefix);
  await rm(root, { recursive: true, force: true });
});

describe('an ingest job whose archive-writer lock was taken over', () => {
  it('commits nothing once a later attempt holds the lock, however far it got', async () => {
    const photos = path.join(root, 'photos');
    const names: string[] = [];
    // 32 images fill the first window (they are added, uncommitted), then the slow one stalls the run.
    for (let i = 0; i < 32; i++) {
      const name = `p${i}.png`;
      await writeBytes(path.join(photos, name), await picture(100 + i, 24, 24).png().toBuffer());
      names.push(name);
    }
    const listing = path.join(photos, 'listing.txt');
    await writeFile(listing, [...names, slowUrl].join('\n'));

    const first = jobRun<'ingest'>({ archive: ARCHIVE, source: listing, embedder: 'scenes', batchSize: 8 });
    const running = ingestJob(ctx, first);
    running.catch(() => undefined);
    await slowRequested;

    // The queue hands the same job to another worker (the first looked dead): it takes the lock at once.
    const retry = await ctx.locks.tryAcquire({ archiveWriter: ARCHIVE }, first.id, 30_000);
    expect(retry).toBeDefined();

    held?.writeHead(200, { 'content-type': 'image/png' }).end(await picture(999, 24, 24).png().toBuffer());
    await expect(running).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('taken over by another job') });
    // The archive was created empty by the first attempt; none of its images were committed.
    expect((await createArchiveStore({ dataDir: path.join(root, 'data') }).open(ARCHIVE)).manifest.count).toBe(0);
    // The later attempt's lock still stands.
    await expect(retry?.assertHeld()).resolves.toBeUndefined();
    await retry?.release();
  });
});
