import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { temporarySibling } from '../../fs/atomic-write.js';

/**
 * Writes files shared by several episodes (a target image, an archive image two episodes both
 * retrieved) once. Episodes run concurrently, so concurrent requests share one write. Each file
 * is written under a temporary name and renamed into place, so a file left by a killed run is
 * always whole and is simply kept on resume. No fsync: the artefacts can be regenerated, and a
 * sync per image would cost more than the evaluation round that produced it.
 */
export class WriteOnce {
  private readonly pending = new Map<string, Promise<void>>();

  write(path: string, produce: () => Promise<Uint8Array>): Promise<void> {
    let done = this.pending.get(path);
    if (!done) {
      done = writeIfMissing(path, produce);
      this.pending.set(path, done);
      // A failed write is forgotten so that the next request tries again.
      done.catch(() => this.pending.delete(path));
    }
    return done;
  }
}

async function writeIfMissing(path: string, produce: () => Promise<Uint8Array>): Promise<void> {
  if (await access(path).then(() => true, () => false)) return;
  await mkdir(dirname(path), { recursive: true });
  const temp = temporarySibling(path, 'tmp');
  try {
    await writeFile(temp, await produce());
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
