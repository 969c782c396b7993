import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { ImageSource } from './image-source.js';

/**
 * Every file below a folder, in a stable (sorted) order so that re-runs and reports line up.
 * Hidden entries (".DS_Store", ".git") are passed over. A symbolic link is followed only when it
 * resolves to a file inside the folder: one leading outside is listed as skipped, since
 * ingesting a folder must never read beyond it; a link to a folder inside is passed over, as
 * its files are reached at their real place.
 */
export async function walkFolder(root: string): Promise<ImageSource[]> {
  const realRoot = await realpath(root);
  const found: ImageSource[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      // One unreadable subfolder must not sink a run over thousands of readable ones.
      const code = (e as NodeJS.ErrnoException).code;
      if (dir === root || (code !== 'EACCES' && code !== 'EPERM')) throw e;
      found.push({ kind: 'skip', source: dir, reason: 'unreadable folder (permission denied)' });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) found.push({ kind: 'file', source: path, path });
      else if (entry.isSymbolicLink()) {
        const item = await followLink(path, realRoot);
        if (item) found.push(item);
      } else found.push({ kind: 'skip', source: path, reason: 'not a regular file' });
    }
  };
  await visit(root);
  return found;
}

async function followLink(path: string, realRoot: string): Promise<ImageSource | undefined> {
  let target: string;
  try {
    target = await realpath(path);
  } catch {
    return { kind: 'skip', source: path, reason: 'broken symlink' };
  }
  const inside = relative(realRoot, target);
  if (inside.startsWith('..') || isAbsolute(inside)) return { kind: 'skip', source: path, reason: 'symlink leads outside the folder' };
  const info = await stat(target);
  if (info.isDirectory()) return undefined;
  return info.isFile() ? { kind: 'file', source: path, path: target } : { kind: 'skip', source: path, reason: 'not a regular file' };
}
