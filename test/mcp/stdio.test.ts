import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/config.js';
import { createRuntime } from '../../core/runtime/runtime.js';
import { sampleTargets } from '../../core/eval/target-sampler.js';
import { BUILT_CLI, ensureBuilt, REPO_ROOT } from './built-cli.js';
import { failed, imagesOf, ok, structured } from './results.js';
import { ARCHIVE, createTestWorld, WORLD_SIZE, type TestWorld } from './world.js';

let world: TestWorld;
let client: Client;
let stderr = '';

beforeAll(async () => {
  [world] = await Promise.all([createTestWorld(), ensureBuilt(['dist/cli/commands/mcp.js', 'dist/mcp-server/server.js'])]);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BUILT_CLI, 'mcp'],
    cwd: REPO_ROOT,
    env: { ...getDefaultEnvironment(), MIRAGE_DATA_DIR: world.dataDir },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
  client = new Client({ name: 'stdio-test', version: '1.0.0' });
  await client.connect(transport);
});

afterAll(async () => {
  await client?.close();
  await world?.dispose();
});

describe('mirage mcp over stdio (built CLI)', () => {
  it('runs a complete evaluation episode with a seeded target', async () => {
    const archives = structured<{ archives: { name: string; images: number }[] }>(ok(await client.callTool({ name: 'list_archives', arguments: {} })));
    expect(archives.archives).toEqual([expect.objectContaining({ name: ARCHIVE, images: WORLD_SIZE })]);

    const seed = 99;
    const started = ok(await client.callTool({ name: 'start_evaluation', arguments: { archive: ARCHIVE, rounds: 1, seed } }));
    const sessionId = structured<{ session: { id: string } }>(started).session.id;
    expect(imagesOf(started)).toHaveLength(1);
    for (const description of ['a scene with animals', 'two animals on grass during the day']) {
      ok(await client.callTool({ name: 'search_round', arguments: { session: sessionId, description } }));
    }
    const finish = structured<{ targetId: string; ranks: number[]; scored: boolean }>(
      ok(await client.callTool({ name: 'finish_evaluation', arguments: { session: sessionId } })),
    );
    // The client chose the seed: a practice episode.
    expect(finish.scored).toBe(false);

    // The server process persisted its session in the data dir, owned by its one stdio client;
    // an engine of our own reads it back only as that owner.
    const reader = createRuntime(loadConfig({}, { dataDir: world.dataDir }));
    const archive = await reader.archives.open(ARCHIVE);
    expect(finish.targetId).toBe(sampleTargets([...archive.records()].map((r) => r.id), 1, seed)[0]);
    const owner = { owner: 'mcp:stdio' };
    expect(finish.ranks).toEqual([
      await reader.engine.rankOf(sessionId, 0, finish.targetId, owner),
      await reader.engine.rankOf(sessionId, 1, finish.targetId, owner),
    ]);
    await expect(reader.engine.rankOf(sessionId, 0, finish.targetId)).rejects.toMatchObject({ code: 'UNKNOWN_SESSION' });
    expect(failed(await client.callTool({ name: 'search_round', arguments: { session: 'nope', description: 'x' } }))).toMatch(/Unknown session/);
    expect(stderr).toBe('');
  });
});
