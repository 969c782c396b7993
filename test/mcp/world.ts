import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildWorld } from '../../core/scenes/world-builder.js';
import { SCENES_EMBEDDER_ID } from '../../core/scenes/scenes-bundle.js';
import { loadConfig } from '../../core/config/config.js';
import { createRuntime, type Runtime } from '../../core/runtime/runtime.js';

export const ARCHIVE = 'scenes-mcp';
export const WORLD_SIZE = 200;

export interface TestWorld {
  readonly dataDir: string;
  readonly runtime: Runtime;
  dispose(): Promise<void>;
}

/** A real Scenes world on disk in a temp folder, with an in-process runtime over it. */
export async function createTestWorld(): Promise<TestWorld> {
  const root = await mkdtemp(path.join(tmpdir(), 'mirage-mcp-'));
  const dataDir = path.join(root, 'data');
  const runtime = createRuntime(loadConfig({}, { dataDir }), { ephemeralSessions: true });
  const { imageEmbedder } = await runtime.models.bundleFor(SCENES_EMBEDDER_ID);
  await buildWorld({ store: runtime.archives, embedder: imageEmbedder, name: ARCHIVE, size: WORLD_SIZE, seed: 1 });
  return {
    dataDir,
    runtime,
    async dispose() {
      await runtime.engine.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
