import { LocalArchiveStore } from '../adapters/local/local-archive-store.js';
import { FileBlobStore } from '../adapters/local/file-blob-store.js';
import { FileSessionStore } from '../adapters/local/file-session-store.js';
import { MemoryBlobStore } from '../adapters/memory/memory-blob-store.js';
import { MemorySessionStore } from '../adapters/memory/memory-session-store.js';
import { QueueEngine } from '../adapters/redis/queue-engine.js';
import { createScenesBundle, SCENES_EMBEDDER_ID } from '../adapters/scenes/scenes-bundle.js';
import { UsearchIndexFactory } from '../adapters/usearch/usearch-index-factory.js';
import type { MirageConfig } from '../config/config.js';
import { createIngestHandler } from '../ingest/ingest-service.js';
import { registerInstalledModels } from '../models/installed-bundles.js';
import { findInstalledModels } from '../models/installed-models.js';
import { ModelRegistry } from '../models/model-registry.js';
import { onnxLoaders } from '../models/onnx-loaders.js';
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

/**
 * The Scenes bundle, plus every model folder installed under config.modelsDir: each embedder
 * under its folder name ("clip-vit-b32"), served with the installed generator (sd-turbo) when
 * there is one. Folders are found now; models load on first use.
 */
export function createModelRegistry(config: MirageConfig): ModelRegistry {
  const registry = new ModelRegistry().register(SCENES_EMBEDDER_ID, async () => createScenesBundle());
  const installed = findInstalledModels(config.modelsDir).filter((m) => m.id !== SCENES_EMBEDDER_ID);
  return registerInstalledModels(registry, installed, onnxLoaders({ executionProvider: config.executionProvider }));
}

/**
 * The embedded default: the in-process engine over local files. With config.redisUrl set, the
 * queue-backed engine instead (rounds run on `mirage worker` processes; sessions and synthetic
 * images live in Redis, so ephemeralSessions does not apply). The archive store and models are
 * local either way, for commands that build archives on this machine.
 */
export function createRuntime(config: MirageConfig, options: RuntimeOptions = {}): Runtime {
  const archives = new LocalArchiveStore({ root: config.dataDir, indexFactory: new UsearchIndexFactory() });
  const models = createModelRegistry(config);
  if (config.redisUrl !== undefined) {
    const engine = new QueueEngine({ redisUrl: config.redisUrl, prefix: config.redisPrefix, sessionTtlSeconds: config.sessionTtlSeconds });
    return { config, archives, models, engine };
  }
  const engine = new InProcessEngine({
    archives,
    models,
    sessions: options.ephemeralSessions ? new MemorySessionStore() : new FileSessionStore({ root: config.dataDir }),
    blobs: options.ephemeralSessions ? new MemoryBlobStore({ maxEntries: 20_000 }) : new FileBlobStore({ root: config.dataDir }),
    ingest: createIngestHandler({ archives, models }),
  });
  return { config, archives, models, engine };
}
