import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { fileSize } from '../../fs/file-size.js';
import { invalidInput } from '../../errors.js';
import { fsyncFile, writeFileAtomic } from '../../fs/atomic-write.js';
import { IdMap, type IdMapJson } from './id-map.js';
import { writeVectorFile } from './vector-file.js';
import { bytesPerRow, type VectorRows } from './vector-rows.js';

/**
 * On-disk layout of a saved index folder:
 *
 *   manifest.json              which generation is live, plus dim, quantization, count, graph
 *                              build parameters
 *   graph-<gen>.usearch        the USearch graph (index.save)
 *   vectors-<gen>.f32          raw f32 rows, row-major, in id-map row order
 *   ids-<gen>.json             { nextKey, keys[], ids[] } per row
 *
 * A save writes a new generation's files under fresh names, flushes them, and then commits by
 * atomically replacing manifest.json. A crash at any point before that rename leaves the old
 * manifest naming the old, untouched files; files of unfinished generations are deleted by the
 * next successful save. Assumes one writer per folder at a time.
 */
export const MANIFEST_FILE = 'manifest.json';

const generationFile = /^(graph|vectors|ids)-[0-9a-z]+-[0-9a-f]+\.(usearch|f32|json)$/;

const manifestSchema = z.object({
  format: z.literal('mirage-usearch-index'),
  version: z.literal(1),
  dim: z.number().int().positive(),
  quantization: z.enum(['f32', 'f16', 'i8']),
  connectivity: z.number().int().positive(),
  expansionAdd: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  files: z.object({
    graph: z.string().regex(generationFile),
    vectors: z.string().regex(generationFile),
    ids: z.string().regex(generationFile),
  }),
});

export type SavedIndexManifest = z.infer<typeof manifestSchema>;
export type SavedIndexHeader = Omit<SavedIndexManifest, 'format' | 'version' | 'files'>;

export interface IndexSnapshot {
  readonly header: SavedIndexHeader;
  /** Writes the USearch graph file to the path (usearch's own, synchronous, save). */
  writeGraph(path: string): void;
  readonly vectors: VectorRows;
  readonly ids: IdMapJson;
}

// Saves into one folder run one after another: a save's clean-up would otherwise delete the
// files of another save that has written them but not yet committed its manifest.
const savesInFlight = new Map<string, Promise<void>>();

/**
 * Saves what `snapshot()` returns as a new generation in the folder. The snapshot is taken and
 * every file written synchronously, so the saved state is consistent even if the index
 * changes while the flushes and the commit are awaited. If another save into the same folder
 * is still running, this one waits for it and takes its snapshot then.
 */
export function writeSavedIndex(dir: string, snapshot: () => IndexSnapshot): Promise<void> {
  const key = resolve(dir);
  const previous = savesInFlight.get(key);
  // With no save ahead, start now, so the snapshot is of the state at the time of the call.
  const save =
    previous === undefined
      ? writeGeneration(dir, snapshot())
      : previous.catch(() => undefined).then(() => writeGeneration(dir, snapshot()));
  savesInFlight.set(key, save);
  const forget = () => {
    if (savesInFlight.get(key) === save) savesInFlight.delete(key);
  };
  save.then(forget, forget);
  return save;
}

async function writeGeneration(dir: string, snapshot: IndexSnapshot): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const generation = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const files = {
    graph: `graph-${generation}.usearch`,
    vectors: `vectors-${generation}.f32`,
    ids: `ids-${generation}.json`,
  };
  snapshot.writeGraph(join(dir, files.graph));
  writeVectorFile(join(dir, files.vectors), snapshot.vectors);
  const idsText = JSON.stringify(snapshot.ids);
  const manifest: SavedIndexManifest = { format: 'mirage-usearch-index', version: 1, ...snapshot.header, files };
  // Nothing above awaited; from here on only files are touched, not the live index.
  await fsyncFile(join(dir, files.graph));
  await fsyncFile(join(dir, files.vectors));
  await writeFileAtomic(join(dir, files.ids), idsText);
  await writeFileAtomic(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  await removeOtherGenerations(dir, new Set(Object.values(files)));
}

export interface SavedIndex {
  readonly manifest: SavedIndexManifest;
  readonly graphPath: string;
  readonly vectorsPath: string;
  readonly ids: IdMap;
}

/** Reads and cross-checks the manifest and id map; the caller opens graph and vectors. */
export async function readSavedIndex(dir: string): Promise<SavedIndex> {
  const manifest = await readManifest(dir);
  const graphPath = join(dir, manifest.files.graph);
  const vectorsPath = join(dir, manifest.files.vectors);
  const damaged = (what: string) => invalidInput(`The saved vector index in ${dir} is damaged: ${what}.`);
  let ids: IdMap;
  try {
    ids = IdMap.fromJSON(JSON.parse(await readFile(join(dir, manifest.files.ids), 'utf8')));
  } catch (e) {
    throw damaged(`its id map ${manifest.files.ids} cannot be read (${(e as Error).message})`);
  }
  if (ids.size !== manifest.count) throw damaged(`the id map has ${ids.size} ids, the manifest says ${manifest.count}`);
  const expectedBytes = manifest.count * bytesPerRow(manifest.dim);
  const vectorBytes = await fileSize(vectorsPath);
  if (vectorBytes !== expectedBytes) {
    throw damaged(`${manifest.files.vectors} has ${vectorBytes ?? 'no'} bytes, ${expectedBytes} expected`);
  }
  if ((await fileSize(graphPath)) === undefined) throw damaged(`${manifest.files.graph} is missing`);
  return { manifest, graphPath, vectorsPath, ids };
}

async function readManifest(dir: string): Promise<SavedIndexManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw invalidInput(`There is no saved vector index in ${dir} (no ${MANIFEST_FILE}).`);
    }
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidInput(`The saved vector index in ${dir} is damaged: ${MANIFEST_FILE} is not JSON.`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw invalidInput(`The saved vector index in ${dir} is damaged: ${MANIFEST_FILE} is invalid (${z.prettifyError(parsed.error)}).`);
  }
  return parsed.data;
}

// writeFileAtomic's temporary names (see temporarySibling), left behind by a killed save.
const temporaryFile = /^\.(.+)\.tmp-\d+-[0-9a-f]+$/;

const isOurs = (name: string): boolean => {
  const base = temporaryFile.exec(name)?.[1] ?? name;
  return base === MANIFEST_FILE ? base !== name : generationFile.test(base);
};

async function removeOtherGenerations(dir: string, live: ReadonlySet<string>): Promise<void> {
  for (const name of await readdir(dir)) {
    if (isOurs(name) && !live.has(name)) await rm(join(dir, name), { force: true });
  }
}

