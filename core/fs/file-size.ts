import { stat } from 'node:fs/promises';

/** Size in bytes, or undefined when the file does not exist; other failures propagate. */
export async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
