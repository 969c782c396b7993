import { invalidInput } from '../errors.js';
import type { ArchiveManifest, ArchiveStore } from '../ports/archive-store.js';

/**
 * Removes images from an archive's index and store in one commit. Every id is checked first,
 * so an unknown id changes nothing. Their bytes may be ingested again later.
 */
export async function removeImages(store: ArchiveStore, archive: string, ids: readonly string[]): Promise<ArchiveManifest> {
  if (ids.length === 0) throw invalidInput('Name at least one image id to remove.');
  const writer = await store.writer(archive);
  await writer.remove(ids);
  return writer.commit();
}
