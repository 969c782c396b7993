import { invalidInput } from '../errors.js';
import type { ArchiveManifest, ArchiveStore } from '../ports/archive-store.js';
import type { RemoveHandler } from '../ports/ingestion.js';
import { archiveNameSchema } from '../session/requests.js';
import { validate } from '../validate.js';

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

/**
 * The engine's removal: ids the archive no longer holds are passed over (a message deleted
 * twice, a sweep finding what a deletion event already removed), and nothing is committed when
 * none is left.
 */
export function createRemoveHandler(store: ArchiveStore): RemoveHandler {
  return async (archive, ids, options = {}) => {
    const name = validate(archiveNameSchema, archive, 'archive name');
    const writer = await store.writer(name);
    const held = [...new Set(ids)].filter((id) => writer.has(id));
    if (held.length > 0) await writer.remove(held);
    return writer.commit(options.fence ? { fence: options.fence } : {});
  };
}
