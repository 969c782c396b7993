import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EvalResults } from '../../../core/eval/artifacts/results.js';
import { mirage } from '../../cli/harness.js';
import { ARCHIVE, createTestWorld, type TestWorld } from '../../mcp/world.js';
import { ChatStub, completion, partTypes, systemText, type ChatRequestBody, type StubReply } from './chat-stub.js';

/** A stand-in for Gemma 3 that answers each reference call by its system message. */
const REPLIES: readonly (readonly [RegExp, string])[] = [
  [/^You are an image captioning assistant .* diffusion models/, 'A red car on green grass\nunder a clear sky.'],
  [/^You are an image captioning assistant .* retrieval tasks/, 'A red car parked on grass.'],
  [/^You are an image analysis assistant/, 'The second image shows a blue car.'],
  [/^You are a caption refinement assistant\. Your task is to refine/, 'A small red car on grass, clear day.'],
  [/^You are an image retrieval expert/, 'A small red car alone on grass.'],
  [/^You are a detail critic/, 'Mention the size of the car.'],
  [/^You are a caption refinement assistant\. Your task is to improve/, 'A small red car on green grass.'],
  [/^You answer questions about an image/, 'yes'],
];

function gemmaStandIn(body: ChatRequestBody): StubReply {
  const system = body.messages[0];
  const text = typeof system?.content === 'string' ? system.content : '';
  const reply = REPLIES.find(([pattern]) => pattern.test(text))?.[1];
  return reply ? completion(reply, 100, 10) : { status: 400, body: { error: { message: `stub: unexpected system message ${text}` } } };
}

let world: TestWorld;
let stub: ChatStub;
let root: string;

beforeAll(async () => {
  [world, stub, root] = await Promise.all([createTestWorld(), ChatStub.start('/v1/chat/completions', gemmaStandIn), mkdtemp(path.join(tmpdir(), 'mirage-genir-ref-'))]);
  vi.stubEnv('MIRAGE_VLM_BASE_URL', `${stub.origin}/v1`);
  vi.stubEnv('MIRAGE_VLM_MODEL', 'gemma3-stub');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await stub?.close();
  await world?.dispose();
  await rm(root, { recursive: true, force: true });
});

const evalArgs = (out: string, ...extra: string[]) => [
  '--data-dir',
  world.dataDir,
  'eval',
  '--archive',
  ARCHIVE,
  '--targets',
  '1',
  '--rounds',
  '1',
  '--concurrency',
  '1',
  '--threads',
  '1',
  '--seed',
  '3',
  '--out',
  path.join(root, out),
  '--json',
  ...extra,
];

async function resultsOf(stdout: string): Promise<{ results: EvalResults; report: string }> {
  const { written, report } = JSON.parse(stdout) as { written: { results: string }; report: string };
  return { results: JSON.parse(await readFile(written.results, 'utf8')) as EvalResults, report: await readFile(report, 'utf8') };
}

describe('mirage eval --searcher vlm --prompts genir-ref', () => {
  it('sends the reference calls for each strategy and records the prompt set and its deviations', async () => {
    const before = stub.requests.length;
    const result = await mirage(evalArgs('ref', '--searcher', 'vlm', '--prompts', 'genir-ref', '--strategies', 'generative,prediction,text,verbal'), { env: {} });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    // One target, strategies in order, round 0 and one refinement each (one thread, concurrency 1 keeps the order).
    const requests = stub.requests.slice(before);
    const calls = requests.map((r) => [systemText(r).split(/[.,]/)[0], r.body.max_tokens]);
    expect(calls).toEqual([
      ['You are an image captioning assistant that creates concise but detailed descriptions for use in text-to-image diffusion models', 500],
      ['You are an image analysis assistant that compares original images with their synthetically generated versions', 400],
      ['You are a caption refinement assistant', 500],
      ['You are an image captioning assistant that creates concise but detailed descriptions for distinguishing images in retrieval tasks', 200],
      ['You are an image retrieval expert', 200],
      ['You are an image captioning assistant that creates concise but detailed descriptions for use in text-to-image diffusion models', 200],
      ['You are a detail critic in an iterative caption refinement process', 200],
      ['You are a caption refinement assistant', 200],
      ['You are an image captioning assistant that creates concise but detailed descriptions for use in text-to-image diffusion models', 200],
      ['You answer questions about an image for someone who is searching a photo collection for it', 200],
    ]);
    for (const request of requests) {
      expect(request.body).toMatchObject({ model: 'gemma3-stub', temperature: 0.7, top_p: 0.9, repetition_penalty: 1.1 });
      expect(partTypes(request).at(-1)).toBe('text');
      expect(partTypes(request).slice(0, -1).every((t) => t === 'image_url')).toBe(true);
    }
    expect(requests.map((r) => partTypes(r).length - 1)).toEqual([1, 2, 1, 1, 2, 1, 1, 1, 1, 1]);

    const { results, report } = await resultsOf(result.stdout);
    expect(results.searcher).toBe('vlm:genir-ref:gemma3-stub');
    expect(results.searcherProfile?.settings).toMatchObject({ prompts: 'genir-ref', repetitionPenalty: 1.1, temperature: 0.7, topP: 0.9 });
    expect(results.searcherProfile?.deviations.some((d) => d.includes('77 tokens'))).toBe(true);
    const queries = Object.fromEntries(results.episodes.map((e) => [e.strategy, e.queries]));
    expect(queries).toEqual({
      generative: ['A red car on green grass\nunder a clear sky.', 'A small red car on grass, clear day.'],
      prediction: ['A red car parked on grass.', 'A small red car alone on grass.'],
      text: ['A red car on green grass, under a clear sky.', 'A small red car on green grass.'],
      verbal: ['A red car on green grass, under a clear sky.', expect.stringMatching(/^A red car on green grass, under a clear sky\., .+\? yes$/)],
    });
    expect(report).toContain('<h2>Searcher: known deviations from the reference</h2>');
    expect(report).toContain('77 tokens');
    expect(report).toContain('<th>Searcher prompts</th><td>genir-ref</td>');
  });

  it('keeps v1 as the default and says nothing about deviations for it', async () => {
    stub.enqueue(completion('A red car on grass.', 10, 5));
    const result = await mirage(evalArgs('v1', '--searcher', 'vlm', '--strategies', 'text', '--rounds', '0'), { env: {} });
    expect(result.code).toBe(0);
    const { results, report } = await resultsOf(result.stdout);
    expect(results.searcher).toBe('vlm:v1:gemma3-stub');
    expect(results.searcherProfile).toMatchObject({ settings: { prompts: 'v1', repetitionPenalty: 'not sent' }, deviations: [] });
    expect(report).not.toContain('known deviations');
  });

  it('refuses a prompt set for a searcher that has none, and a set that does not exist', async () => {
    const scripted = await mirage(evalArgs('bad', '--searcher', 'scripted', '--prompts', 'genir-ref'), { env: {} });
    expect(scripted.code).not.toBe(0);
    expect(scripted.stderr).toContain('--prompts genir-ref does not apply to the scripted searcher');
    const missing = await mirage(evalArgs('bad2', '--searcher', 'vlm', '--prompts', 'genir-v9'), { env: {} });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/VLM prompt set genir-v9 not found; available: genir-ref, v1/);
  });
});
