import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Crash-safe file and folder replacement. A reader must only ever see the old content or the
 * new content, never a torn mix, even if the process is killed or the machine loses power
 * mid-write: data is written under a temporary name, flushed to disk (fsync), and only then
 * renamed into place; the rename itself is made durable by flushing the parent folder.
 *
 * All helpers assume one writer per target at a time (callers serialise writers with a lock).
 */

/** A name no other writer picks: hidden, tagged with the pid and random bits. */
export function temporarySibling(path: string, tag: string): string {
  return join(dirname(path), `.${basename(path)}.${tag}-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** Flushes a file's data to disk. */
export async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries, so that files created or renamed in it survive a power loss. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a file so that the path holds either its old content or all of the new one. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = temporarySibling(path, 'tmp');
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  await fsyncDirectory(dirname(path));
}

/** Flushes every file and folder below (and including) a folder. */
export async function fsyncTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await fsyncTree(path);
    else if (entry.isFile()) await fsyncFile(path);
  }
  await fsyncDirectory(dir);
}

const STAGING_TAG = 'staging';
const REPLACED_TAG = 'replaced';

/**
 * Replaces a whole folder: `fill` writes the new content into an empty staging folder next to
 * the target, which is flushed and then swapped in by two renames (target -> hidden "replaced"
 * folder, staging -> target). If `fill` throws, the target is untouched.
 *
 * Linux cannot atomically exchange two non-empty folders from Node, so a crash between the two
 * renames leaves the target missing while its complete previous content sits in the hidden
 * folder; readers call `restoreInterruptedReplace(target)` first to move it back.
 */
export async function replaceDirectory(target: string, fill: (staging: string) => Promise<void>): Promise<void> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  await restoreInterruptedReplace(target);
  // One writer per target: anything still tagged is debris of a writer that died.
  await removeLeftovers(target, REPLACED_TAG);
  await removeLeftovers(target, STAGING_TAG);
  const staging = temporarySibling(target, STAGING_TAG);
  await mkdir(staging);
  try {
    await fill(staging);
    await fsyncTree(staging);
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
  await moveIntoPlace(staging, target);
}

/**
 * Puts a complete, flushed folder in the place of `target` (which may or may not exist) with
 * the two renames replaceDirectory describes; the folder replaced, if any, is deleted.
 */
export async function moveIntoPlace(prepared: string, target: string): Promise<void> {
  const parent = dirname(target);
  if (!(await exists(target))) {
    await rename(prepared, target);
    await fsyncDirectory(parent);
    return;
  }
  const replaced = temporarySibling(target, REPLACED_TAG);
  await rename(target, replaced);
  await rename(prepared, target);
  await fsyncDirectory(parent);
  await rm(replaced, { recursive: true, force: true });
}

/**
 * Undoes a replaceDirectory that was killed between its two renames: if the target is missing
 * but its previous content was set aside, puts it back. Returns whether it restored anything.
 */
export async function restoreInterruptedReplace(target: string): Promise<boolean> {
  if (await exists(target)) return false;
  const [setAside] = await leftovers(target, REPLACED_TAG);
  if (setAside === undefined) return false;
  await rename(setAside, target);
  await fsyncDirectory(dirname(target));
  return true;
}

async function leftovers(target: string, tag: string): Promise<string[]> {
  const prefix = `.${basename(target)}.${tag}-`;
  let names: string[];
  try {
    names = await readdir(dirname(target));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.filter((n) => n.startsWith(prefix)).map((n) => join(dirname(target), n));
}

/** Deletes the hidden siblings of `target` tagged `tag` (debris of writers that died); callers hold the target's lock. */
export async function removeLeftovers(target: string, tag: string): Promise<void> {
  for (const path of await leftovers(target, tag)) await rm(path, { recursive: true, force: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}
