import { LocalArchiveStore } from '../adapters/local/local-archive-store.js';
import { FileBlobStore } from '../adapters/local/file-blob-store.js';
import { FileSessionStore } from '../adapters/local/file-session-store.js';
import { MemoryBlobStore } from '../adapters/memory/memory-blob-store.js';
import { MemorySessionStore } from '../adapters/memory/memory-session-store.js';
import { createScenesBundle, SCENES_EMBEDDER_ID } from '../adapters/scenes/scenes-bundle.js';
import { UsearchIndexFactory } from '../adapters/usearch/usearch-index-factory.js';
import type { MirageConfig } from '../config/config.js';
import { ModelRegistry } from '../models/model-registry.js';
import type { ArchiveStore } from '../ports/archive-store.js';
import type { Engine } from './engine.js';
import { InProcessEngine } from './in-process-engine.js';

export interface RuntimeOptions {
  /**
   * Keep sessions and synthetic images in memory instead of under the data folder: evaluation
   * runs create thousands of throw-away sessions.
   */
  readonly ephemeralSessions?: boolean;
}

/** Everything a front end or job needs, wired from one config. */
export interface Runtime {
  readonly config: MirageConfig;
  readonly archives: ArchiveStore;
  readonly models: ModelRegistry;
  readonly engine: Engine;
}

export function createModelRegistry(_config: MirageConfig): ModelRegistry {
  return new ModelRegistry().register(SCENES_EMBEDDER_ID, async () => createScenesBundle());
}

/** The embedded default: in-process engine over local files. */
export function createRuntime(config: MirageConfig, options: RuntimeOptions = {}): Runtime {
  const archives = new LocalArchiveStore({ root: config.dataDir, indexFactory: new UsearchIndexFactory() });
  const models = createModelRegistry(config);
  const engine = new InProcessEngine({
    archives,
    models,
    sessions: options.ephemeralSessions ? new MemorySessionStore() : new FileSessionStore({ root: config.dataDir }),
    blobs: options.ephemeralSessions ? new MemoryBlobStore({ maxEntries: 20_000 }) : new FileBlobStore({ root: config.dataDir }),
  });
  return { config, archives, models, engine };
}
