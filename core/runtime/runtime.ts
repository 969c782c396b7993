import { FileBlobStore } from '../adapters/local/file-blob-store.js';
import { FileSessionStore } from '../adapters/local/file-session-store.js';
import { LocalArchiveStore } from '../adapters/local/local-archive-store.js';
import { MemoryBlobStore } from '../adapters/memory/memory-blob-store.js';
import { MemorySessionStore } from '../adapters/memory/memory-session-store.js';
import { UsearchIndexFactory } from '../adapters/usearch/usearch-index-factory.js';
import type { UsearchTuning } from '../adapters/usearch/usearch-tuning.js';
import type { MirageConfig } from '../config/config.js';
import { InProcessEngine } from '../engine/in-process-engine.js';
import { createIngestHandler } from '../ingest/ingest-service.js';
import { LOCAL_ACCESS, remoteAccess, type IngestAccessKind } from '../ingest/ingest-access.js';
import { createRemoveHandler } from '../ingest/remove-images.js';
import type { ModelRegistry } from '../models/model-registry.js';
import type { ArchiveStore } from '../ports/archive-store.js';
import type { Engine } from '../ports/engine.js';
import { createModelRegistry } from './create-model-registry.js';
import { createQueueEngine } from './create-queue-engine.js';

export interface RuntimeOptions {
  /**
   * Keep sessions and synthetic images in memory instead of under the data folder: evaluation
   * runs create thousands of throw-away sessions.
   */
  readonly ephemeralSessions?: boolean;
  /**
   * Who asks this runtime's engine to ingest. 'local': this machine's user (the CLI), who may
   * read any path and reach the local network. 'remote' (the default): anyone else (MCP clients,
   * a chat bot), confined to config.ingestRoots and public addresses unless
   * config.ingestPrivateNetwork. A queue-backed engine's ingestion runs on workers, which always
   * treat it as remote.
   */
  readonly ingestAccess?: IngestAccessKind;
}

/** Everything a front end or job needs, wired from one config. */
export interface Runtime {
  readonly config: MirageConfig;
  readonly archives: ArchiveStore;
  readonly models: ModelRegistry;
  readonly engine: Engine;
  /**
   * An in-process engine over the same archives whose Scenes text tower is the oracle (the
   * `text-oracle` evaluation arm), sessions in memory, and its models; built on first call.
   */
  readonly textOracle: () => { readonly engine: Engine; readonly models: ModelRegistry };
}

/** The vector index every archive is built with (USearch, cosine); benchmarks pass other tunings. */
export function createIndexFactory(tuning: Partial<UsearchTuning> = {}): UsearchIndexFactory {
  return new UsearchIndexFactory(tuning);
}

/** The archives under config.dataDir. */
export function createArchiveStore(config: Pick<MirageConfig, 'dataDir'>): ArchiveStore {
  return new LocalArchiveStore({ root: config.dataDir, indexFactory: createIndexFactory() });
}

/**
 * The embedded default: the in-process engine over local files. With config.redisUrl set, the
 * queue-backed engine instead (rounds run on `mirage worker` processes; sessions and synthetic
 * images live in Redis, so ephemeralSessions does not apply). The archive store and models are
 * local either way, for commands that build archives on this machine.
 */
export function createRuntime(config: MirageConfig, options: RuntimeOptions = {}): Runtime {
  const archives = createArchiveStore(config);
  const models = createModelRegistry(config);
  let oracle: { engine: Engine; models: ModelRegistry } | undefined;
  const textOracle = () => {
    if (!oracle) {
      const oracleModels = createModelRegistry(config, { textTower: 'oracle' });
      oracle = { engine: inProcessEngine(config, archives, oracleModels, { ...options, ephemeralSessions: true }), models: oracleModels };
    }
    return oracle;
  };
  if (config.redisUrl !== undefined) {
    const engine = createQueueEngine({ redisUrl: config.redisUrl, prefix: config.redisPrefix, sessionTtlSeconds: config.sessionTtlSeconds });
    return { config, archives, models, engine, textOracle };
  }
  const engine = inProcessEngine(config, archives, models, options);
  return { config, archives, models, engine, textOracle };
}

function inProcessEngine(config: MirageConfig, archives: ArchiveStore, models: ModelRegistry, options: RuntimeOptions): Engine {
  return new InProcessEngine({
    archives,
    models,
    sessions: options.ephemeralSessions ? new MemorySessionStore() : new FileSessionStore({ root: config.dataDir }),
    blobs: options.ephemeralSessions ? new MemoryBlobStore({ maxEntries: 20_000 }) : new FileBlobStore({ root: config.dataDir }),
    ingest: createIngestHandler({ archives, models, access: options.ingestAccess === 'local' ? LOCAL_ACCESS : remoteAccess(config) }),
    remove: createRemoveHandler(archives),
  });
}
