import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { z } from 'zod';
import type { ArchiveManifest } from '../../ports/archive-store.js';
import type { VectorIndex } from '../../ports/vector-index.js';
import type { VectorIndexFactory } from '../../ports/vector-index-factory.js';
import { MirageError, unknownArchive } from '../../errors.js';
import { fsyncDirectory, temporarySibling, writeFileAtomic } from '../../fs/atomic-write.js';
import { VersionLayout, type ArchiveLayout } from './archive-layout.js';
import { isCode } from './fs-errors.js';
import { readManifest } from './manifest-file.js';
import { readRecordsFile, writeRecordsFile, type StoredRecord } from './records-file.js';

/** Committed byte length of each sidecar file. */
export type SidecarLengths = Readonly<Record<string, number>>;

/** Everything one committed version holds, as loaded into memory. */
export interface CommittedVersion {
  readonly manifest: ArchiveManifest;
  readonly records: Map<string, StoredRecord>;
  readonly index: VectorIndex;
  readonly sidecarLengths: SidecarLengths;
}

const sidecarLengthsSchema = z.record(z.string(), z.number().int().nonnegative());

/** A commit deletes version folders older than its predecessor; an open that loses that race retries. */
const OPEN_ATTEMPTS = 3;

export async function loadCommitted(
  layout: ArchiveLayout,
  name: string,
  indexFactory: VectorIndexFactory,
  view: boolean,
): Promise<CommittedVersion> {
  for (let attempt = 1; ; attempt++) {
    const manifest = await readManifest(layout.manifest, name);
    if (manifest === undefined) throw unknownArchive(name);
    try {
      return await loadVersion(layout, manifest, indexFactory, view);
    } catch (e) {
      // Only a newer commit explains a version folder that failed to load; otherwise it is damage.
      const current = await readManifest(layout.manifest, name);
      if (current?.version === manifest.version || attempt === OPEN_ATTEMPTS) throw e;
    }
  }
}

async function loadVersion(
  layout: ArchiveLayout,
  manifest: ArchiveManifest,
  indexFactory: VectorIndexFactory,
  view: boolean,
): Promise<CommittedVersion> {
  const version = layout.version(manifest.version);
  const [records, index, sidecarLengths] = await Promise.all([
    readRecordsFile(version.records),
    indexFactory.load(version.index, { view }),
    readSidecarLengths(version.sidecarLengths),
  ]);
  if (records.size !== manifest.count || index.size !== manifest.count) {
    throw new Error(
      `Archive "${manifest.name}" version ${manifest.version} is inconsistent: the manifest counts ${manifest.count} images, ` +
        `the records ${records.size}, the index ${index.size}.`,
    );
  }
  return { manifest, records, index, sidecarLengths };
}

async function readSidecarLengths(path: string): Promise<SidecarLengths> {
  const parsed = sidecarLengthsSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is malformed: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Writes the folder of a new version: filled under a temporary name, then renamed into place.
 * Nothing refers to it until manifest.json names its number, so a crash part way leaves only an
 * unreferenced folder, which the next commit replaces. A folder that manifest.json does name
 * (another writer committed that number) is never replaced: the write fails with TIMEOUT.
 */
export async function writeVersion(
  layout: ArchiveLayout,
  version: number,
  records: Iterable<StoredRecord>,
  index: VectorIndex,
  sidecarLengths: SidecarLengths,
): Promise<void> {
  const target = layout.version(version);
  await mkdir(layout.versions, { recursive: true });
  const staging = new VersionLayout(temporarySibling(target.dir, 'staging'));
  try {
    await mkdir(staging.dir);
    await writeRecordsFile(staging.records, records);
    await writeFileAtomic(staging.sidecarLengths, JSON.stringify(sidecarLengths));
    await index.save(staging.index);
    await fsyncDirectory(staging.dir);
    await placeVersion(layout, version, staging.dir, target.dir);
  } catch (e) {
    await rm(staging.dir, { recursive: true, force: true });
    throw e;
  }
  await fsyncDirectory(layout.versions);
}

async function placeVersion(layout: ArchiveLayout, version: number, staging: string, target: string): Promise<void> {
  try {
    await rename(staging, target);
    return;
  } catch (e) {
    if (!isCode(e, 'ENOTEMPTY') && !isCode(e, 'EEXIST')) throw e;
  }
  const committed = await readManifest(layout.manifest, '');
  if (committed !== undefined && committed.version >= version) {
    throw new MirageError('TIMEOUT', `Version ${version} of the archive was committed by another writer; nothing was committed.`);
  }
  // Left by a commit that died before naming it.
  await rm(target, { recursive: true, force: true });
  await rename(staging, target);
}
