import { spawn, spawnSync } from 'node:child_process';
import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArchiveStore } from '../../../core/adapters/local/local-archive-store.js';
import { UsearchIndexFactory } from '../../../core/adapters/usearch/usearch-index-factory.js';
import { isMirageError } from '../../../core/errors.js';
import type { ArchiveStore } from '../../../core/ports/archive-store.js';
import { faultyFactory, filesUnder, makeImage, makeImages, request, tempRoot } from './archive-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
});
afterEach(() => cleanup());

/** A lock file as a writer on `host` with process id `pid` writes it. */
const lockFile = (pid: number, host: string) => `${JSON.stringify({ token: `t-${pid}`, pid, host, since: new Date().toISOString() })}\n`;

async function messageOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (e) {
    return `${isMirageError(e) ? e.code : 'Error'}: ${(e as Error).message}`;
  }
  throw new Error('expected a failure, but it succeeded');
}

/** An archive with "a" and "b" committed as version 1. */
async function committedArchive(store: ArchiveStore): Promise<void> {
  const writer = await store.create(request('photos'));
  await writer.add(await makeImages(['a', 'b']));
  await writer.commit();
}

async function expectVersionOne(store: ArchiveStore): Promise<void> {
  const archive = await store.open('photos');
  expect(archive.manifest).toMatchObject({ version: 1, count: 2 });
  expect([...archive.records()].map((r) => r.id).sort()).toEqual(['a', 'b']);
  expect(archive.index().size).toBe(2);
  const b = await makeImage('b');
  expect(archive.index().search(b.vector, 1)[0]?.id).toBe('b');
  expect((await archive.readImage('a', 'full')).bytes).toEqual((await makeImage('a')).full.bytes);
}

describe('archive commits interrupted part way', () => {
  for (const mode of ['before', 'after'] as const) {
    it(`leave the previous version loadable when the index save fails ${mode} writing`, async () => {
      const { factory, failing } = faultyFactory(new UsearchIndexFactory());
      const store = new LocalArchiveStore({ root, indexFactory: factory });
      await committedArchive(store);

      const writer = await store.writer('photos');
      await writer.add(await makeImages(['c']));
      await writer.remove(['a']);
      await writer.appendSidecar('truth', [{ id: 'c' }]);
      failing.mode = mode;
      expect(await messageOf(writer.commit())).toContain(`injected failure ${mode}`);

      // Another process (a fresh store) still sees exactly version 1.
      const reader = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
      await expectVersionOne(reader);
      expect(await (await reader.open('photos')).readSidecar('truth')).toEqual([]);

      // The changes are still pending: a retry commits them as version 2.
      failing.mode = 'none';
      expect(await writer.commit()).toMatchObject({ version: 2, count: 2 });
      const archive = await reader.open('photos');
      expect([...archive.records()].map((r) => r.id).sort()).toEqual(['b', 'c']);
      expect(await archive.readSidecar('truth')).toEqual([{ id: 'c' }]);
    });
  }

  it('abort() drops pending changes and their files and frees the archive for another writer', async () => {
    const { factory, failing } = faultyFactory(new UsearchIndexFactory());
    const store = new LocalArchiveStore({ root, indexFactory: factory });
    await committedArchive(store);
    const imagesDir = join(root, 'archives', 'photos', 'images');
    const filesBefore = await filesUnder(imagesDir);

    const writer = await store.writer('photos');
    await writer.add(await makeImages(['c']));
    await writer.remove(['a']);
    failing.mode = 'after';
    await messageOf(writer.commit());
    // Opening another writer is fine; making changes with it is not.
    const other = await store.writer('photos');
    expect(await messageOf(other.remove(['b']))).toMatch(/^INVALID_INPUT: Archive "photos" is being changed by another writer in this process/);

    await writer.abort();
    expect(writer.has('a')).toBe(true);
    expect(writer.has('c')).toBe(false);
    expect(await filesUnder(imagesDir)).toEqual(filesBefore);
    failing.mode = 'none';
    await other.remove(['b']);
    expect(await other.commit()).toMatchObject({ version: 2, count: 1 });
  });

  it('takes over the lock of a process that died with uncommitted changes', async () => {
    const store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
    await committedArchive(store);
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    expect(dead).toBeGreaterThan(0);
    await mkdir(join(root, 'archives', '.locks'), { recursive: true });
    await writeFile(join(root, 'archives', '.locks', 'photos.lock'), lockFile(dead, hostname()));

    const writer = await store.writer('photos');
    await writer.add(await makeImages(['c']));
    expect(JSON.parse(await readFile(join(root, 'archives', '.locks', 'photos.lock'), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(await writer.commit()).toMatchObject({ count: 3 });
  });

  it('refuses changes while a live process holds the lock', async () => {
    const store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
    await committedArchive(store);
    await mkdir(join(root, 'archives', '.locks'), { recursive: true });
    // The parent of this test process is alive for the whole test.
    await writeFile(join(root, 'archives', '.locks', 'photos.lock'), lockFile(process.ppid, hostname()));
    const writer = await store.writer('photos');
    expect(await messageOf(writer.add(await makeImages(['c'])))).toContain(`process ${process.ppid}`);
    expect(await messageOf(store.delete('photos'))).toMatch(/^INVALID_INPUT: .*being changed/);
    expect(await messageOf(store.create(request('photos', { overwrite: true })))).toMatch(/^INVALID_INPUT: .*being changed/);
    await expectVersionOne(store);
  });

  it('ignores and then overwrites sidecar bytes that an interrupted commit left behind', async () => {
    const store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
    const writer = await store.create(request('photos'));
    await writer.appendSidecar('truth', [{ n: 1 }]);
    await writer.commit();
    await appendFile(join(root, 'archives', 'photos', 'sidecars', 'truth.jsonl'), '{"n": "torn');
    expect(await (await store.open('photos')).readSidecar('truth')).toEqual([{ n: 1 }]);
    await writer.appendSidecar('truth', [{ n: 2 }]);
    await writer.commit();
    expect(await (await store.open('photos')).readSidecar('truth')).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('a writer that another writer committed past refuses to change the archive', async () => {
    const store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
    await committedArchive(store);
    const first = await store.writer('photos');
    const second = await store.writer('photos');
    await first.add(await makeImages(['c']));
    await first.commit();
    expect(await messageOf(second.add(await makeImages(['d'])))).toMatch(/^INVALID_INPUT: Archive "photos" changed \(version 2\)/);
    expect((await store.open('photos')).manifest.count).toBe(3);
  });

  it('keeps only the live and the previous version folder', async () => {
    const store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
    const writer = await store.create(request('photos'));
    for (const id of ['a', 'b', 'c']) {
      await writer.add([await makeImage(id)]);
      await writer.commit();
    }
    expect((await readdir(join(root, 'archives', 'photos', 'versions'))).sort()).toEqual(['v2', 'v3']);
  });
});

describe('a writer process killed at an arbitrary moment', () => {
  it('leaves a loadable, self-consistent archive that a new writer can continue', async () => {
    const store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
    await committedArchive(store);
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'commit-loop-child.ts'), root], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let reported = 0;
    // Kill it in the middle of its fourth commit's work: after three commits were reported.
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        reported = Math.max(reported, ...chunk.toString().trim().split('\n').map(Number));
        if (reported >= 4) {
          setTimeout(() => child.kill('SIGKILL'), 15);
        }
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    expect(reported).toBeGreaterThanOrEqual(4);

    const archive = await store.open('photos');
    const { version, count } = archive.manifest;
    expect(version).toBeGreaterThanOrEqual(reported);
    const ids = [...archive.records()].map((r) => r.id);
    expect(ids).toHaveLength(count);
    expect(archive.index().size).toBe(count);
    for (const id of ids) {
      expect(archive.index().has(id)).toBe(true);
      expect((await archive.readImage(id, 'thumb')).bytes.length).toBeGreaterThan(0);
    }
    // Each child commit adds two images, removes one, and appends one sidecar row.
    expect(await archive.readSidecar('truth')).toHaveLength(version - 1);
    expect(count).toBe(2 + (version - 1) + 1);

    const writer = await store.writer('photos');
    await writer.add([await makeImage('after-crash')]);
    expect(await writer.commit()).toMatchObject({ version: version + 1, count: count + 1 });
  });
});
