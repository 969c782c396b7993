import { basename, isAbsolute, join, relative } from 'node:path';
import type { MirageConfig } from '../config/config.js';

/** A server folder and the name it goes by in text for clients ('' for none). */
export interface ServerPlace {
  readonly dir: string;
  readonly shownAs: string;
}

/**
 * The server's folders as clients may see them named: archive files relative to the archives
 * folder ("photos/manifest.json"), the rest of the data folder relative to it
 * ("sessions/<id>.json"), model files under "models/". Most specific first.
 */
export function serverPlaces(config: Pick<MirageConfig, 'dataDir' | 'modelsDir'>): ServerPlace[] {
  return [
    { dir: join(config.dataDir, 'archives'), shownAs: '' },
    { dir: config.modelsDir, shownAs: 'models' },
    { dir: config.dataDir, shownAs: '' },
  ];
}

/** An absolute POSIX path in running text: it starts a word (not the "//" of a URL) and stops at whitespace, quotes, brackets or ":". */
const ABSOLUTE_PATH = /(?<![\w.:/~-])\/[^\s"'`<>()[\]{}:,;]+/g;

/**
 * Text (an error message) as it may go to someone who is not the operator (an MCP client, a
 * chat user): absolute paths of the server's file system become names relative to the place
 * they are in, and any other absolute path its last component, so that nothing tells a remote
 * client where the server keeps its data or who runs it.
 */
export function clientSafeText(text: string, places: readonly ServerPlace[] = []): string {
  return text.replace(ABSOLUTE_PATH, (match) => {
    const path = match.replace(/\.+$/, '');
    const rest = match.slice(path.length);
    for (const place of places) {
      const rel = relative(place.dir, path);
      if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return `${place.shownAs ? `${place.shownAs}/` : ''}${rel}${rest}`;
    }
    return `${basename(path)}${rest}`;
  });
}
