import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArchiveStore } from '../../../core/adapters/local/local-archive-store.js';
import { UsearchIndexFactory } from '../../../core/adapters/usearch/usearch-index-factory.js';
import { isMirageError } from '../../../core/errors.js';
import { makeImages, request, tempRoot } from './archive-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
});
afterEach(() => cleanup());

const lockPath = () => join(root, 'archives', '.locks', 'photos.lock');
const store = (writerLockTtlMs?: number) =>
  new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory(), ...(writerLockTtlMs ? { writerLockTtlMs } : {}) });

async function committedArchive(s: LocalArchiveStore): Promise<void> {
  const writer = await s.create(request('photos'));
  await writer.add(await makeImages(['a', 'b']));
  await writer.commit();
}

async function failureOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (e) {
    return `${isMirageError(e) ? e.code : 'Error'}: ${(e as Error).message}`;
  }
  throw new Error('expected a failure, but it succeeded');
}

describe('the archive writer lock', () => {
  it('holds a random token, the process id and host, written whole before it appears', async () => {
    const s = store();
    await committedArchive(s);
    const writer = await s.writer('photos');
    await writer.add(await makeImages(['c']));
    const first = JSON.parse(await readFile(lockPath(), 'utf8')) as { token: string; pid: number; host: string };
    expect(first).toMatchObject({ pid: process.pid, host: hostname() });
    expect(first.token).toMatch(/^[0-9a-f-]{36}$/);
    await writer.commit();
    const again = await s.writer('photos');
    await again.add(await makeImages(['d']));
    expect((JSON.parse(await readFile(lockPath(), 'utf8')) as { token: string }).token).not.toBe(first.token);
    await again.commit();
  });

  it('leaves alone a lock that is there but cannot be read yet, instead of deleting it', async () => {
    const s = store();
    await committedArchive(s);
    await mkdir(join(root, 'archives', '.locks'), { recursive: true });
    // What a writer that creates the file before writing into it leaves for a moment.
    await writeFile(lockPath(), '');
    const writer = await s.writer('photos');
    expect(await failureOf(writer.add(await makeImages(['c'])))).toMatch(/^INVALID_INPUT: Archive "photos" is being changed by another writer/);
    expect(await readFile(lockPath(), 'utf8')).toBe('');
  });

  it('does not take a fresh lock for stale because it carries this process id: another container may hold it', async () => {
    const s = store();
    await committedArchive(s);
    await mkdir(join(root, 'archives', '.locks'), { recursive: true });
    // PID 1 in another container: the same number as ours might be, on another host.
    const theirs = { token: 'their-token', pid: process.pid, host: 'another-container', since: new Date().toISOString() };
    await writeFile(lockPath(), JSON.stringify(theirs));
    const writer = await s.writer('photos');
    expect(await failureOf(writer.add(await makeImages(['c'])))).toContain(`process ${process.pid} on another-container`);
    expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toEqual(theirs);
    expect((await s.open('photos')).manifest.version).toBe(1);
  });

  it('lets a second writer take over from a stalled first one, whose commit is then refused', async () => {
    const ttl = 400;
    const s = store(ttl);
    await committedArchive(s);
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'stalled-writer-child.ts'), root, String(ttl)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    // Listened for from the start: on a busy machine the child may be gone before the checks below end.
    const closed = new Promise((resolve) => child.once('close', resolve));
    const lines: string[] = [];
    let waiting: ((line: string) => void) | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        waiting?.(line);
      }
    });
    const nextLine = () => new Promise<string>((resolve) => (lines.length > 0 ? resolve(lines.shift() as string) : (waiting = (l) => resolve((lines.shift(), l)))));
    expect(await nextLine()).toBe('added');
    // The first writer freezes with its changes pending: it can no longer renew its lock.
    child.kill('SIGSTOP');

    const second = await s.writer('photos');
    const images = await makeImages(['from-second-writer']);
    // Busy while the first writer's lock is fresh; taken over once it has gone stale.
    for (;;) {
      const outcome = await second.add(images).then(
        () => 'added',
        (e: unknown) => (e as Error).message,
      );
      if (outcome === 'added') break;
      expect(outcome).toMatch(/is being changed by process \d+/);
      await sleep(ttl / 4);
    }
    expect(await second.commit()).toMatchObject({ version: 2, count: 3 });

    child.kill('SIGCONT');
    child.stdin.write('commit\n');
    expect(await nextLine()).toMatch(/^failed Archive "photos" was taken over by another writer .*nothing was committed/);
    const archive = await s.open('photos');
    expect(archive.manifest).toMatchObject({ version: 2, count: 3 });
    expect([...archive.records()].map((r) => r.id).sort()).toEqual(['a', 'b', 'from-second-writer']);
    expect((await archive.readImage('from-second-writer', 'full')).bytes.length).toBeGreaterThan(0);
    await closed;
  });
});
