import { createHash } from 'node:crypto';
import { join } from 'node:path';

/**
 * Spreads many files over 256 sub-folders by the first byte of sha256(key), so that an archive of
 * a million images keeps a few thousand entries per folder. The file name is the full hash: it is
 * safe on every file system and two keys that differ only in letter case never share a file.
 */
export function shardedPath(dir: string, key: string, extension: string): string {
  const digest = createHash('sha256').update(key).digest('hex');
  return join(dir, digest.slice(0, 2), `${digest}.${extension}`);
}
