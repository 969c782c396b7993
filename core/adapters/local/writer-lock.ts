import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MirageError } from '../../errors.js';
import { isCode, unlessMissing } from './fs-errors.js';

/** Lock files this process holds, so a lock carrying our own pid can be told from a stale one. */
const heldHere = new Set<string>();

/**
 * A lock file holding the pid of the process that has uncommitted changes to one archive.
 *
 * It guards against two writers (in this process or in two processes on one machine) changing
 * an archive at once. A lock whose pid is no longer running is stale (that process crashed
 * before committing) and is taken over. Limits, accepted for a local single-user store: it is
 * not meant for network file systems shared by several machines, and two processes that find
 * the same stale lock at the same instant could both take it over.
 */
export class WriterLock {
  private constructor(readonly path: string) {}

  /** Throws when another writer holds the lock; `busy` describes the holder for the message. */
  static async acquire(path: string, busy: (holder: string) => MirageError): Promise<WriterLock> {
    if (heldHere.has(path)) throw busy('another writer in this process');
    // Reserved before the first await, so two acquires in this process cannot both proceed.
    heldHere.add(path);
    try {
      await createLockFile(path, busy);
      return new WriterLock(path);
    } catch (e) {
      heldHere.delete(path);
      throw e;
    }
  }

  async release(): Promise<void> {
    heldHere.delete(this.path);
    await unlessMissing(unlink(this.path));
  }
}

async function createLockFile(path: string, busy: (holder: string) => MirageError): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      try {
        await file.writeFile(`${process.pid}\n`);
      } finally {
        await file.close();
      }
      return;
    } catch (e) {
      if (!isCode(e, 'EEXIST')) throw e;
    }
    const holder = await readHolder(path);
    if (holder !== undefined && holder !== process.pid && isRunning(holder)) throw busy(`process ${holder}`);
    // Stale: the holder died, or it was an earlier process that happened to have our pid.
    await unlessMissing(unlink(path));
  }
  throw busy('another process that took the lock at the same moment');
}

async function readHolder(path: string): Promise<number | undefined> {
  const text = await unlessMissing(readFile(path, 'utf8'));
  const pid = text === undefined ? Number.NaN : Number.parseInt(text, 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return isCode(e, 'EPERM');
  }
}
