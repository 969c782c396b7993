import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** Lines are batched into writes of about this many characters. */
const WRITE_CHUNK = 1 << 20;

/**
 * Streams a JSON-lines file line by line, so that files far larger than the largest JavaScript
 * string (a million records) can be read. `length` stops at that byte offset: the committed end
 * of an append-only file. Throws with file and line number on a malformed line.
 */
export async function* readJsonLines(path: string, length?: number): AsyncGenerator<unknown> {
  if (length === 0) return;
  const input = createReadStream(path, length === undefined ? {} : { end: length - 1 });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.length === 0) continue;
    try {
      yield JSON.parse(line) as unknown;
    } catch (e) {
      throw new Error(`${path}:${lineNumber}: not valid JSON (${e instanceof Error ? e.message : String(e)})`, { cause: e });
    }
  }
}

/** Serialises one value as a single line; refuses what JSON cannot represent. */
export function toJsonLine(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} cannot be written as JSON.`);
  return `${text}\n`;
}

/** Writes a new file of JSON lines and flushes it to disk before returning. */
export async function writeJsonLinesFile(path: string, lines: Iterable<string>): Promise<void> {
  const file = await open(path, 'wx');
  try {
    await writeChunked(file, lines, null);
    await file.sync();
  } finally {
    await file.close();
  }
}

/**
 * Appends lines to an append-only file whose committed content ends at `committedLength`. Bytes
 * past it are left over from an interrupted commit and are cut off first. Returns the new length,
 * which becomes committed only when the caller records it.
 */
export async function appendJsonLinesAt(path: string, committedLength: number, lines: Iterable<string>): Promise<number> {
  const file = await open(path, committedLength === 0 ? 'w' : 'r+');
  try {
    await file.truncate(committedLength);
    const written = await writeChunked(file, lines, committedLength);
    await file.sync();
    return committedLength + written;
  } finally {
    await file.close();
  }
}

async function writeChunked(
  file: Awaited<ReturnType<typeof open>>,
  lines: Iterable<string>,
  start: number | null,
): Promise<number> {
  let position = start;
  let written = 0;
  let chunk = '';
  const flush = async () => {
    const bytes = Buffer.from(chunk, 'utf8');
    // A write may be partial; keep going until the whole chunk is on disk.
    for (let offset = 0; offset < bytes.length; ) {
      const { bytesWritten } = await file.write(bytes, offset, bytes.length - offset, position);
      offset += bytesWritten;
      if (position !== null) position += bytesWritten;
    }
    written += bytes.length;
    chunk = '';
  };
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= WRITE_CHUNK) await flush();
  }
  if (chunk.length > 0) await flush();
  return written;
}
