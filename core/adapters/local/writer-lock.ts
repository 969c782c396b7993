import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, utimes, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import { z } from 'zod';
import { MirageError } from '../../errors.js';
import { temporarySibling } from '../../fs/atomic-write.js';
import { isCode, unlessMissing } from './fs-errors.js';

/** How long a lock whose holder stopped renewing it stands; a holder renews every third of it. */
export const DEFAULT_LOCK_TTL_MS = 30_000;

/** Lock files this process holds: a second writer in the same process is refused at once. */
const heldHere = new Set<string>();

const holderSchema = z.object({ token: z.string().min(1), pid: z.number().int().positive(), host: z.string(), since: z.string() });
type Holder = z.infer<typeof holderSchema>;

/**
 * A lock file naming the writer that has uncommitted changes to one archive: a random token of
 * its own, its process id and host name.
 *
 * - It is created whole or not at all: written under a temporary name, then hard-linked into
 *   place, which fails if a lock is there (no moment when it exists empty).
 * - The holder touches it every third of `ttlMs`. A lock untouched for `ttlMs` is stale (its
 *   holder died, or stalled), and so is one left by a process on this host that is no longer
 *   running. A process id alone proves nothing: in containers every writer is likely PID 1.
 * - Taking over a stale lock moves it aside first and checks that what was moved is the stale
 *   lock, so two writers that find it stale at the same time cannot both take it.
 * - assertHeld() is the fence: a writer calls it right before its commit point and so cannot
 *   commit once another writer took the lock over (say, after it stalled past the ttl).
 *
 * Accepted limits: on file systems shared by several machines the renewal relies on their
 * clocks agreeing to within the ttl.
 */
export class WriterLock {
  private readonly renewal: NodeJS.Timeout;

  private constructor(
    readonly path: string,
    private readonly token: string,
    ttlMs: number,
  ) {
    this.renewal = setInterval(() => void this.renew(), Math.max(10, Math.floor(ttlMs / 3)));
    this.renewal.unref();
  }

  /** Throws when another writer holds the lock; `busy` describes the holder for the message. */
  static async acquire(path: string, busy: (holder: string) => MirageError, ttlMs = DEFAULT_LOCK_TTL_MS): Promise<WriterLock> {
    if (heldHere.has(path)) throw busy('another writer in this process');
    // Reserved before the first await, so two acquires in this process cannot both proceed.
    heldHere.add(path);
    try {
      const token = randomUUID();
      await createLockFile(path, token, busy, ttlMs);
      return new WriterLock(path, token, ttlMs);
    } catch (e) {
      heldHere.delete(path);
      throw e;
    }
  }

  /** Whether the lock file still carries this lock's token. */
  async held(): Promise<boolean> {
    return (await readHolder(this.path))?.token === this.token;
  }

  /** The fence: throws TIMEOUT (retryable) when another writer has taken the lock over. */
  async assertHeld(what: string): Promise<void> {
    if (!(await this.held())) {
      throw new MirageError('TIMEOUT', `${what} was taken over by another writer (this one stalled or its lock expired); nothing was committed.`);
    }
  }

  /** Removes the lock file, unless another writer has taken it over meanwhile. */
  async release(): Promise<void> {
    clearInterval(this.renewal);
    heldHere.delete(this.path);
    if (await this.held()) await unlessMissing(unlink(this.path));
  }

  private async renew(): Promise<void> {
    try {
      if (await this.held()) {
        const now = new Date();
        await utimes(this.path, now, now);
      }
    } catch {
      // A failed touch is retried on the next tick; if the lock goes stale meanwhile, the fence notices.
    }
  }
}

async function createLockFile(path: string, token: string, busy: (holder: string) => MirageError, ttlMs: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const mine: Holder = { token, pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const draft = temporarySibling(path, 'lock');
  await writeFile(draft, `${JSON.stringify(mine)}\n`);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await link(draft, path);
        return;
      } catch (e) {
        if (!isCode(e, 'EEXIST')) throw e;
      }
      const stale = await staleHolder(path, ttlMs);
      if (stale === 'missing') continue;
      if (stale === undefined) throw busy(await describeHolder(path));
      await moveAsideIfStill(path, stale);
    }
    throw busy('another writer that took the lock at the same moment');
  } finally {
    await unlessMissing(unlink(draft));
  }
}

/**
 * The holder of a stale lock (its token, or '' for a lock file that cannot be read), 'missing'
 * when there is no lock any more, undefined when the lock is live.
 */
async function staleHolder(path: string, ttlMs: number): Promise<string | 'missing' | undefined> {
  const info = await unlessMissing(stat(path));
  if (info === undefined) return 'missing';
  const holder = await readHolder(path);
  if (Date.now() - info.mtimeMs > ttlMs) return holder?.token ?? '';
  if (holder === undefined) return undefined;
  const deadHere = holder.host === hostname() && holder.pid !== process.pid && !isRunning(holder.pid);
  return deadHere ? holder.token : undefined;
}

/**
 * Moves a stale lock out of the way, checking that what was moved is still the lock judged
 * stale: if another writer replaced it in between, its lock goes back (or, if a third writer got
 * in meanwhile, that one's stands and the displaced writer's fence will notice).
 */
async function moveAsideIfStill(path: string, staleToken: string): Promise<void> {
  const aside = temporarySibling(path, 'stale');
  try {
    await rename(path, aside);
  } catch (e) {
    if (isCode(e, 'ENOENT')) return;
    throw e;
  }
  const moved = await readHolder(aside);
  if ((moved?.token ?? '') !== staleToken) {
    await link(aside, path).catch((e: unknown) => {
      if (!isCode(e, 'EEXIST')) throw e;
    });
  }
  await unlessMissing(unlink(aside));
}

async function readHolder(path: string): Promise<Holder | undefined> {
  const text = await unlessMissing(readFile(path, 'utf8'));
  if (text === undefined) return undefined;
  try {
    const parsed = holderSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function describeHolder(path: string): Promise<string> {
  const holder = await readHolder(path);
  if (holder === undefined) return 'another writer';
  return holder.host === hostname() ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
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
