import { stat } from 'node:fs/promises';
import { invalidInput } from '../errors.js';
import { walkFolder } from './folder-walk.js';
import type { ImageSource } from './image-source.js';
import { readListing } from './source-listing.js';

/** Everything a source names: the files below a folder, or the entries of a listing file. */
export async function resolveSources(source: string): Promise<ImageSource[]> {
  const info = await stat(source).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw invalidInput(`${source} does not exist; pass a folder of images or a text file listing them.`);
    throw e;
  });
  if (info.isDirectory()) return walkFolder(source);
  if (info.isFile()) return readListing(source);
  throw invalidInput(`${source} is neither a folder nor a file.`);
}
