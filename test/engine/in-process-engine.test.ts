import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config/config.js';
import { stagingFolder } from '../../core/ingest/ingest-access.js';
import { createRuntime } from '../../core/runtime/runtime.js';
import type { Engine } from '../../core/ports/engine.js';
import { engineContract } from './engine-contract.js';
import { buildTestWorld } from './test-world.js';

let root: string;
let engine: Engine;

engineContract('in-process', {
  async setUp() {
    root = await mkdtemp(path.join(tmpdir(), 'mirage-contract-'));
    await buildTestWorld(root, 'contract');
    engine = createRuntime(loadConfig({}, { dataDir: root })).engine;
    return { engine, archive: 'contract', archiveSize: 200, stagingDir: stagingFolder(root) };
  },
  async tearDown() {
    await engine?.close();
    await rm(root, { recursive: true, force: true });
  },
});
