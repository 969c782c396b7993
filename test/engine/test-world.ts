import { LocalArchiveStore } from '../../core/adapters/local/local-archive-store.js';
import { ScenesImageEmbedder } from '../../core/scenes/scenes-image-embedder.js';
import { buildWorld } from '../../core/scenes/world-builder.js';
import { UsearchIndexFactory } from '../../core/adapters/usearch/usearch-index-factory.js';
import type { ArchiveManifest } from '../../core/ports/archive-store.js';

/** A real Scenes world archive in `dataDir`, as `mirage world create` builds it. */
export function buildTestWorld(dataDir: string, name: string, size = 200, seed = 1): Promise<ArchiveManifest> {
  return buildWorld({
    store: new LocalArchiveStore({ root: dataDir, indexFactory: new UsearchIndexFactory() }),
    embedder: new ScenesImageEmbedder(),
    name,
    size,
    seed,
  });
}
