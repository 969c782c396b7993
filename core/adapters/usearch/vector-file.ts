import { closeSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { VectorRows } from './vector-rows.js';

// fs.read/fs.write refuse more than 2 GiB per call; smaller pieces also keep each syscall short.
const IO_PIECE_BYTES = 64 * 1024 * 1024;

/**
 * Writes all rows as one flat file (row-major little-endian f32, no header: the manifest holds
 * dim and count). Synchronous, so the rows cannot change while being written; the caller
 * flushes the file to disk.
 */
export function writeVectorFile(path: string, rows: VectorRows): void {
  const fd = openSync(path, 'wx');
  try {
    for (const block of rows.blocks()) {
      const bytes = new Uint8Array(block.data.buffer, block.data.byteOffset, block.data.byteLength);
      for (let done = 0; done < bytes.length; ) {
        done += writeSync(fd, bytes, done, Math.min(IO_PIECE_BYTES, bytes.length - done));
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Fills `into` with the first into.byteLength bytes of a vector file. */
export async function readVectorFile(path: string, into: Uint8Array): Promise<void> {
  const handle = await open(path, 'r');
  try {
    let done = 0;
    while (done < into.length) {
      const { bytesRead } = await handle.read(into, done, Math.min(IO_PIECE_BYTES, into.length - done), done);
      if (bytesRead === 0) throw new Error(`vector file ${path} ends after ${done} of ${into.length} bytes`);
      done += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
