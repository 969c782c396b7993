import { invalidInput } from '../errors.js';
import type { ArchiveStore, ArchiveWriter } from '../ports/archive-store.js';
import type { ModelBundle } from '../ports/model-bundle.js';

/**
 * A writer for ingestion: the archive as it is when it exists and was indexed with the same
 * embedder, or a new one. Vectors of two embedders live in different spaces, so mixing them
 * in one index would make every search meaningless.
 */
export async function openIngestWriter(store: ArchiveStore, name: string, bundle: ModelBundle): Promise<ArchiveWriter> {
  const existing = (await store.list()).find((m) => m.name === name);
  const { imageEmbedder } = bundle;
  if (existing === undefined) {
    return store.create({ name, embedder: bundle.embedderId, dim: imageEmbedder.dim, origin: { kind: 'ingest' } });
  }
  if (existing.origin.kind === 'scenes') {
    throw invalidInput(`Archive "${name}" is a Scenes world (its ground truth covers only rendered scenes); ingest into another archive.`);
  }
  if (existing.embedder !== bundle.embedderId || existing.dim !== imageEmbedder.dim) {
    throw invalidInput(
      `Archive "${name}" was indexed with embedder "${existing.embedder}" (${existing.dim}-d), not "${bundle.embedderId}" ` +
        `(${imageEmbedder.dim}-d); ingest with --embedder ${existing.embedder}, or into a new archive.`,
    );
  }
  return store.writer(name);
}
