import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { invalidInput } from '../errors.js';
import type { ImageSource } from './image-source.js';

/** A listing is read whole; anything larger is not a list of paths. */
const MAX_LISTING_BYTES = 64 * 1024 * 1024;

/**
 * Reads a text file listing images, one per line: a path (relative paths resolve against the
 * listing's folder) or an http(s) URL. Blank lines and lines starting with "#" are ignored.
 */
export async function readListing(path: string): Promise<ImageSource[]> {
  const { size } = await stat(path);
  if (size > MAX_LISTING_BYTES) throw invalidInput(`${path} is ${size} bytes; a listing of images must be a text file under 64 MB.`);
  const bytes = await readFile(path);
  if (bytes.includes(0)) {
    throw invalidInput(`${path} is a binary file; pass a folder of images, or a text file listing image paths or URLs one per line.`);
  }
  const base = dirname(path);
  return bytes
    .toString('utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => listedSource(line, base));
}

function listedSource(line: string, base: string): ImageSource {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(line)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    const path = resolve(base, line);
    return { kind: 'file', source: path, path };
  }
  if (scheme === 'http' || scheme === 'https') return { kind: 'url', source: line, url: line };
  return { kind: 'skip', source: line, reason: `unsupported URL scheme "${scheme}" (http and https only)` };
}
