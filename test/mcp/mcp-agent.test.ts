import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MirageError } from '../../core/errors.js';
import { runEpisode } from '../../core/eval/episode.js';
import type { EpisodeRecord } from '../../core/eval/episode-record.js';
import { evalConfigSchema } from '../../core/eval/eval-config.js';
import { runEvaluation } from '../../core/eval/eval-runner.js';
import { RunFolder } from '../../core/eval/run-folder.js';
import { loadVlmConfig } from '../../core/eval/vlm/vlm-config.js';
import { createMcpAgentSearcher } from '../../mcp-server/mcp-agent.js';
import { mirage } from '../cli/harness.js';
import { ToolChatStub, type StubTurn, type ToolChatRequest } from './tool-chat-stub.js';
import { ARCHIVE, createTestWorld, type TestWorld } from './world.js';

const DESCRIPTIONS = ['a scene outdoors', 'a scene outdoors with animals', 'animals outdoors during the day'];
const HIT_ID = /sc-\d{7}/;

type Message = ToolChatRequest['messages'][number];
type Part = { type: string; text?: string; image_url?: { url: string } };

const parts = (m: Message | undefined): Part[] => (Array.isArray(m?.content) ? (m.content as Part[]) : []);
const imageUrls = (request: ToolChatRequest) => request.messages.flatMap((m) => parts(m).flatMap((p) => (p.image_url ? [p.image_url.url] : [])));
const toolMessages = (request: ToolChatRequest) => request.messages.filter((m) => m.role === 'tool').map((m) => String(m.content));

/**
 * The scripted "model", one step per assistant turn already in the conversation: it stalls once,
 * searches, calls a tool that does not exist and peeks at an image it was never shown, searches
 * again marking hit 1 as closer, looks at a hit it was shown, and searches a last time.
 */
function scriptedModel(request: ToolChatRequest): StubTurn {
  const step = request.messages.filter((m) => m.role === 'assistant').length;
  const lastTool = toolMessages(request).at(-1) ?? '';
  switch (step) {
    case 0:
      return { text: 'Let me look at the picture first.' };
    case 1:
      return { calls: [{ name: 'search_round', arguments: { description: DESCRIPTIONS[0] } }] };
    case 2:
      return { calls: [{ name: 'delete_archive', arguments: {} }, { name: 'show_image', arguments: { id: unshownId(lastTool), size: 'thumb' } }] };
    case 3:
      return { calls: [{ name: 'search_round', arguments: { description: DESCRIPTIONS[1], closerTo: ['1'] } }] };
    case 4:
      return { calls: [{ name: 'show_image', arguments: { id: HIT_ID.exec(lastTool)?.[0] ?? 'none', size: 'thumb' } }] };
    default:
      return { calls: [{ name: 'search_round', arguments: { description: DESCRIPTIONS[2] } }] };
  }
}

/** An archive image the last search did not show (which ones it shows depends on the session seed). */
const unshownId = (lastTool: string) => ['sc-0000199', 'sc-0000198', 'sc-0000197'].find((id) => !lastTool.includes(id)) ?? 'sc-0000196';

let world: TestWorld;
let stub: ToolChatStub;
let root: string;

beforeAll(async () => {
  [world, stub, root] = await Promise.all([createTestWorld(), ToolChatStub.start(scriptedModel), mkdtemp(path.join(tmpdir(), 'mirage-agent-'))]);
});

afterAll(async () => {
  await stub?.close();
  await world?.dispose();
  await rm(root, { recursive: true, force: true });
});

const agentConfig = (baseUrl: string) =>
  loadVlmConfig({ MIRAGE_VLM_BASE_URL: baseUrl, MIRAGE_VLM_MODEL: 'stub-agent', MIRAGE_VLM_MAX_RETRIES: '0' });

describe('mcp-agent searcher', () => {
  it('plays evaluation episodes through the MCP tools inside the eval runner', async () => {
    const engine = world.runtime.engine;
    const archive = await world.runtime.archives.open(ARCHIVE);
    const config = evalConfigSchema.parse({ archive: ARCHIVE, strategies: ['generative', 'text'], targets: 2, rounds: 2, concurrency: 1, seed: 5 });
    const searcher = createMcpAgentSearcher(agentConfig(stub.baseUrl));
    expect(searcher.id).toBe('mcp-agent:stub-agent');
    const folder = new RunFolder(path.join(root, 'run'));
    const outcome = await runEvaluation({ engine, searcher, config, archiveIds: [...archive.records()].map((r) => r.id), folder });

    expect(outcome.complete).toBe(true);
    expect(outcome.episodes).toHaveLength(4);
    for (const episode of outcome.episodes) {
      expect(episode.rounds.map((r) => r.query)).toEqual(DESCRIPTIONS);
      expect(episode.searcherUsage).toEqual({ promptTokens: 600, completionTokens: 60, requests: 6 });
      const session = await engine.getSession(episode.sessionId);
      expect(session.rounds[1]?.closerTo).toEqual([session.rounds[0]?.hits[0]?.id]);
      for (const round of episode.rounds) {
        expect(round.rank).toBe(await engine.rankOf(episode.sessionId, round.round, episode.targetId));
        const listed = round.hits.indexOf(episode.targetId);
        if (listed >= 0) expect(round.rank).toBe(listed);
        else expect(round.rank).toBeGreaterThanOrEqual(round.hits.length);
      }
    }
    const lines = (await readFile(folder.path('episodes.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as EpisodeRecord).sessionId).sort()).toEqual(outcome.episodes.map((e) => e.sessionId).sort());

    // What the model was given.
    expect(stub.requests).toHaveLength(24);
    const first = stub.requests[0];
    expect(first?.tools?.map((t) => t.function.name)).toEqual(['search_round', 'show_image', 'session_history']);
    const params = (name: string) => first?.tools?.find((t) => t.function.name === name)?.function.parameters;
    expect(Object.keys(params('search_round')?.properties ?? {})).not.toContain('session');
    expect(params('search_round')?.required).toEqual(['description']);
    expect(Object.keys(params('show_image')?.properties ?? {})).not.toContain('archive');
    expect(String(first?.messages[0]?.content)).toMatch(/search_round[\s\S]*never learn its id/);

    // The picture in the first user message is the episode's target.
    const target = outcome.episodes[0]?.targetId ?? '';
    const targetUrl = imageUrls(first as ToolChatRequest)[0] ?? '';
    expect(targetUrl).toMatch(/^data:image\/jpeg;base64,/);
    const sent = await sharp(Buffer.from(targetUrl.split(',')[1] ?? '', 'base64')).removeAlpha().raw().toBuffer();
    const stored = await engine.getImage({ kind: 'archive', archive: ARCHIVE, id: target });
    const original = await sharp(stored.bytes).removeAlpha().raw().toBuffer();
    expect(sent.length).toBe(original.length);
    const distance = sent.reduce((sum, v, i) => sum + Math.abs(v - (original[i] ?? 0)), 0) / sent.length;
    expect(distance).toBeLessThan(6);

    const episodeRequests = stub.requests.slice(0, 6);
    expect(episodeRequests[1]?.messages.at(-1)?.content).toMatch(/You have 3 search rounds left/);
    // After a search: the synthetic image and the contact sheet, with the hits as text in the tool message.
    expect(parts(episodeRequests[2]?.messages.at(-1)).filter((p) => p.image_url)).toHaveLength(2);
    expect(toolMessages(episodeRequests[2] as ToolChatRequest).at(-1)).toMatch(/round 1[\s\S]*#1 /);
    const refusals = toolMessages(episodeRequests[3] as ToolChatRequest).slice(-2);
    expect(refusals[0]).toMatch(/^Error: There is no tool "delete_archive"/);
    expect(refusals[1]).toMatch(/^Error: Image "sc-\d{7}" was not shown in evaluation session/);
    expect(toolMessages(episodeRequests[5] as ToolChatRequest).at(-1)).toMatch(/^Image sc-\d{7} of archive/);
    // Only the target and the newest tool images stay in the conversation.
    expect(imageUrls(episodeRequests[5] as ToolChatRequest)).toHaveLength(2);
    expect(imageUrls(episodeRequests[5] as ToolChatRequest)[0]).toBe(targetUrl);
  });

  it('runs as `mirage eval --searcher mcp-agent`, writing the usual results', async () => {
    const before = stub.requests.length;
    vi.stubEnv('MIRAGE_VLM_BASE_URL', stub.baseUrl);
    vi.stubEnv('MIRAGE_VLM_MODEL', 'stub-agent');
    try {
      const out = path.join(root, 'cli-run');
      const args = ['--data-dir', world.dataDir, 'eval', '--archive', ARCHIVE, '--searcher', 'mcp-agent', '--strategies', 'text'];
      const result = await mirage([...args, '--targets', '1', '--rounds', '2', '--concurrency', '1', '--seed', '9', '--out', out, '--json'], { env: {} });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const { written } = JSON.parse(result.stdout) as { written: { results: string } };
      const results = await readFile(written.results, 'utf8');
      expect(results).toContain('mcp-agent:stub-agent');
      expect(stub.requests.length - before).toBe(6);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('gives up with a clear error when the model stops calling tools', async () => {
    const silent = await ToolChatStub.start(() => ({ text: 'I think I am done.' }));
    try {
      const searcher = createMcpAgentSearcher(agentConfig(silent.baseUrl), { turnsPerRound: 2 });
      const failure = await runEpisode({
        engine: world.runtime.engine,
        searcher,
        archive: ARCHIVE,
        strategy: 'generative',
        targetId: 'sc-0000010',
        rounds: 1,
        k: 10,
        samples: 1,
        seed: 1,
      }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(MirageError);
      expect((failure as MirageError).code).toBe('MODEL_ERROR');
      expect((failure as MirageError).message).toBe('The agent used 4 turns with 2 of 2 search rounds still unplayed.');
      expect(silent.requests).toHaveLength(4);
    } finally {
      await silent.close();
    }
  });
});
