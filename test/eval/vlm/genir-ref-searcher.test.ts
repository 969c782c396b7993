import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MirageError } from '../../../core/errors.js';
import type { EpisodeSearcher, ShownFeedback, TargetImage } from '../../../core/eval/searcher.js';
import { loadVlmConfig, type VlmConfigInput } from '../../../core/eval/vlm/vlm-config.js';
import { VlmSearcher } from '../../../core/eval/vlm/vlm-searcher.js';
import type { StrategyName } from '../../../core/session/session.js';
import { ChatStub, completion, failure, imageUrls, partTypes, promptText, systemText, type RecordedRequest } from './chat-stub.js';
import { BLUE, GREEN, pictureIn, RED, solidPng } from './test-images.js';

let stub: ChatStub;
let target: TargetImage;

beforeEach(async () => {
  stub = await ChatStub.start();
  target = { id: 'img-7', image: await solidPng(RED, 32, 24) };
});
afterEach(async () => {
  await stub.close();
});

function searcher(overrides: Partial<VlmConfigInput> = {}): VlmSearcher {
  const config = loadVlmConfig({ MIRAGE_VLM_BASE_URL: `${stub.origin}/v1`, MIRAGE_VLM_MODEL: 'gemma3:4b-it-fp16' }, overrides);
  return new VlmSearcher({ config, promptVersion: 'genir-ref' });
}

const episodeFor = (strategy: StrategyName, overrides: Partial<VlmConfigInput> = {}): Promise<EpisodeSearcher> =>
  searcher(overrides).startEpisode(target, 42, { strategy });

const shown = (over: Partial<ShownFeedback> & Pick<ShownFeedback, 'feedback'>): ShownFeedback => ({
  round: 1,
  previousQuery: 'what the engine was sent',
  synthetic: [],
  ...over,
});

const synthetic = async (): Promise<ShownFeedback> =>
  shown({ feedback: { kind: 'synthetic', images: [{ id: 's1', seed: 1 }] }, synthetic: [{ image: await solidPng(BLUE, 16, 16) }] });

/** The sampling and token budget of a recorded request, as the server received them. */
const sampling = (request: RecordedRequest | undefined) => ({
  max_tokens: request?.body.max_tokens,
  temperature: request?.body.temperature,
  top_p: request?.body.top_p,
  repetition_penalty: request?.body.repetition_penalty,
});

const REFERENCE_SAMPLING = { temperature: 0.7, top_p: 0.9, repetition_penalty: 1.1 };

async function colours(request: RecordedRequest | undefined) {
  return (await Promise.all(imageUrls(request).map(pictureIn))).map((p) => p.rgb);
}

async function errorOf(promise: Promise<unknown>): Promise<MirageError> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof MirageError)) throw new Error(`expected a MirageError, got ${String(error)}`);
  return error;
}

const CAPTION = '  A bright red square.\nIt fills a plain frame.  \n';
const CAPTION_STRIPPED = 'A bright red square.\nIt fills a plain frame.';

describe('VlmSearcher with the genir-ref prompts', () => {
  it('names the prompt set in its id and profile, with the reference deviations', () => {
    const s = searcher();
    expect(s.id).toBe('vlm:genir-ref:gemma3:4b-it-fp16');
    expect(s.profile.settings).toMatchObject({
      prompts: 'genir-ref',
      protocol: 'genir-ref',
      model: 'gemma3:4b-it-fp16',
      temperature: 0.7,
      topP: 0.9,
      repetitionPenalty: 1.1,
      imageOrder: 'images before text',
      maxQueryChars: 1000,
    });
    expect(s.profile.settings.maxTokens).toContain('describe 500, compare 400, refine 500, prediction-describe 200');
    expect(s.profile.deviations.some((d) => d.includes('77 tokens'))).toBe(true);
    expect(s.profile.deviations.some((d) => /sampling temperature|top_p|repetition penalty \d/i.test(d))).toBe(false);
  });

  it('generative: describe (500), then compare (400) with [target, synthetic] and refine (500) with [target], images before text', async () => {
    stub.enqueue(
      completion(CAPTION, 300, 40),
      completion('  The second image is blue.\nThe first is red.  ', 500, 20),
      completion('A bright red square,\nfilling the frame.', 300, 30),
    );
    const episode = await episodeFor('generative');

    // Stripped only: the caption keeps its line break, as the reference handed it to the generator.
    expect(await episode.describe()).toBe(CAPTION_STRIPPED);
    expect(await episode.refine(await synthetic())).toBe('A bright red square,\nfilling the frame.');

    const [describe, compare, refine] = stub.requests;
    expect(stub.requests).toHaveLength(3);
    for (const request of stub.requests) {
      expect(request.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
      expect(request.body).toMatchObject(REFERENCE_SAMPLING);
    }
    expect(systemText(describe)).toBe(
      'You are an image captioning assistant that creates concise but detailed descriptions for use in text-to-image diffusion models. Keep your description under 500 tokens.',
    );
    expect(partTypes(describe)).toEqual(['image_url', 'text']);
    expect(promptText(describe)).toMatch(/^Generate a detailed, descriptive caption of this image for use as a prompt in a diffusion model\./);
    expect(sampling(describe).max_tokens).toBe(500);

    expect(systemText(compare)).toMatch(/^You are an image analysis assistant .* Keep your analysis under 400 tokens\.$/);
    expect(partTypes(compare)).toEqual(['image_url', 'image_url', 'text']);
    expect(await colours(compare)).toEqual([[...RED], [...BLUE]]);
    expect(promptText(compare)).toContain(`Here is the Original caption of the first image: ${CAPTION_STRIPPED}. Based on the caption`);
    expect(sampling(compare).max_tokens).toBe(400);

    expect(systemText(refine)).toMatch(/^You are a caption refinement assistant\. .* Keep your refined caption under 500 tokens\.$/);
    expect(partTypes(refine)).toEqual(['image_url', 'text']);
    expect(await colours(refine)).toEqual([[...RED]]);
    expect(promptText(refine)).toContain(
      `Here is the comparison feedback: \n\nThe second image is blue.\nThe first is red.\n\nPrevious caption: '${CAPTION_STRIPPED}'\n\n`,
    );
    expect(sampling(refine).max_tokens).toBe(500);
  });

  it('hybrid makes the same calls as generative', async () => {
    stub.enqueue(completion('A red square.', 1, 1), completion('It is blue.', 1, 1), completion('A red square.', 1, 1));
    const episode = await episodeFor('hybrid');
    await episode.describe();
    await episode.refine(await synthetic());
    expect(stub.requests.map((r) => r.body.max_tokens)).toEqual([500, 400, 500]);
    expect(systemText(stub.requests[1])).toMatch(/^You are an image analysis assistant/);
  });

  it('prediction: its retrieval caption (200), then one call with [target, top-1] at "position 0" and no comparison', async () => {
    stub.enqueue(completion(CAPTION, 300, 40), completion('A bright red square\nalone.', 500, 20));
    const episode = await episodeFor('prediction');

    // Text retrieval read caption files line by line and joined the lines with ", ".
    expect(await episode.describe()).toBe('A bright red square., It fills a plain frame.');
    const top1 = { id: 'img-2', image: await solidPng(GREEN, 20, 10) };
    expect(await episode.refine(shown({ feedback: { kind: 'top1', imageId: 'img-2' }, top1 }))).toBe('A bright red square, alone.');

    expect(stub.requests).toHaveLength(2);
    const [describe, refine] = stub.requests;
    expect(systemText(describe)).toBe(
      'You are an image captioning assistant that creates concise but detailed descriptions for distinguishing images in retrieval tasks. Keep your description under 200 tokens.',
    );
    expect(promptText(describe)).toMatch(/^Generate a detailed, descriptive caption of this image for use in image retrieval\./);
    expect(sampling(describe)).toEqual({ max_tokens: 200, ...REFERENCE_SAMPLING });

    expect(systemText(refine)).toBe(
      'You are an image retrieval expert. Your task is to refine textual queries to better match target images in retrieval systems. Keep your refined query under 200 tokens.',
    );
    expect(partTypes(refine)).toEqual(['image_url', 'image_url', 'text']);
    expect(await colours(refine)).toEqual([[...RED], [...GREEN]]);
    // The caption as the model wrote it goes back into the prompt, not the joined retrieval text.
    expect(promptText(refine)).toContain(`My current query is: "${CAPTION_STRIPPED}"\n\n`);
    expect(promptText(refine)).toContain('I got a result that ranked at position 0. ');
    expect(sampling(refine)).toEqual({ max_tokens: 200, ...REFERENCE_SAMPLING });
  });

  it('text: the diffusion caption at 200 tokens, then a critic that sees the target and a refiner, both 200', async () => {
    stub.enqueue(
      completion(CAPTION, 300, 40),
      completion('Say how red.\nMention the frame edges.', 300, 30),
      completion('A vivid red square\nwith sharp edges.', 300, 20),
    );
    const episode = await episodeFor('text');
    expect(await episode.describe()).toBe('A bright red square., It fills a plain frame.');
    expect(await episode.refine(shown({ feedback: { kind: 'none' } }))).toBe('A vivid red square, with sharp edges.');

    const [describe, critique, refine] = stub.requests;
    expect(systemText(describe)).toMatch(/for use in text-to-image diffusion models\. Keep your description under 200 tokens\.$/);
    expect(sampling(describe).max_tokens).toBe(200);

    expect(systemText(critique)).toBe(
      'You are a detail critic in an iterative caption refinement process. Your goal is to help improve image captions by identifying issues and suggesting improvements.',
    );
    expect(partTypes(critique)).toEqual(['image_url', 'text']);
    expect(await colours(critique)).toEqual([[...RED]]);
    expect(promptText(critique)).toContain(`Review this caption: "${CAPTION_STRIPPED}". Provide specific feedback`);
    expect(sampling(critique)).toEqual({ max_tokens: 200, ...REFERENCE_SAMPLING });

    expect(systemText(refine)).toBe('You are a caption refinement assistant. Your task is to improve image captions based on critique feedback.');
    expect(partTypes(refine)).toEqual(['image_url', 'text']);
    expect(promptText(refine)).toContain(
      `Based on this critique: "Say how red.\nMention the frame edges.", refine the following caption: "${CAPTION_STRIPPED}".`,
    );
    expect(sampling(refine)).toEqual({ max_tokens: 200, ...REFERENCE_SAMPLING });
  });

  it('verbal: answers each question about the target and appends "question answer" to the dialogue, joined with ", "', async () => {
    stub.enqueue(completion('A red square\non white.', 1, 1), completion('red', 1, 1), completion(' no\n', 1, 1));
    const episode = await episodeFor('verbal');
    expect(await episode.describe()).toBe('A red square, on white.');
    const ask = (round: number, text: string) => shown({ round, feedback: { kind: 'question', attribute: 'colour', text } });
    expect(await episode.refine(ask(1, 'what colour is it?'))).toBe('A red square, on white., what colour is it? red');
    expect(await episode.refine(ask(2, 'is there a person?'))).toBe('A red square, on white., what colour is it? red, is there a person? no');

    const answer = stub.requests[1];
    expect(systemText(answer)).toMatch(/Keep your answer under 200 tokens\.$/);
    expect(partTypes(answer)).toEqual(['image_url', 'text']);
    expect(promptText(answer)).toContain('what colour is it?');
    expect(sampling(answer)).toEqual({ max_tokens: 200, ...REFERENCE_SAMPLING });
    expect(stub.requests).toHaveLength(3);
  });

  it('keeps markdown, labels and quotes as the reference did; only the text-retrieval strategies join lines', async () => {
    const awkward = '**Caption:** "A *red* square."\n\n- on white';
    stub.enqueue(completion(awkward, 1, 1), completion(awkward, 1, 1));
    expect(await (await episodeFor('generative')).describe()).toBe(awkward);
    expect(await (await episodeFor('prediction')).describe()).toBe('**Caption:** "A *red* square.", , - on white');
  });

  it('refuses a reply with a reasoning block instead of sending the reasoning as the description', async () => {
    stub.enqueue(completion('<think>The user wants a caption.</think>\nA red square.', 1, 1));
    const error = await errorOf((await episodeFor('generative')).describe());
    expect(error.code).toBe('MODEL_ERROR');
    expect(error.message).toMatch(/reply to the describe prompt in round 0 holds a <think> reasoning block/);
  });

  it('an empty reply is an error, also for an intermediate call, and nothing further is asked', async () => {
    stub.enqueue(completion('   \n ', 1, 1));
    expect((await errorOf((await episodeFor('text')).describe())).message).toMatch(/content is empty/);

    stub.enqueue(completion('A red square.', 1, 1), completion('', 1, 1));
    const episode = await episodeFor('generative');
    await episode.describe();
    const before = stub.requests.length;
    expect((await errorOf(episode.refine(await synthetic()))).code).toBe('MODEL_ERROR');
    expect(stub.requests.length - before).toBe(1);
  });

  it('cuts a description over the engine limit at a word for retrieval only; the next prompt gets all of it', async () => {
    const long = `${'a red square on a plain white ground '.repeat(40)}END`;
    stub.enqueue(completion(long, 1, 1), completion('critique', 1, 1), completion('A red square.', 1, 1));
    const episode = await episodeFor('text');
    const query = await episode.describe();
    expect(query.length).toBeLessThanOrEqual(1000);
    expect(query.length).toBeGreaterThan(950);
    expect(long.startsWith(query)).toBe(true);
    expect(query.endsWith(' ')).toBe(false);
    await episode.refine(shown({ feedback: { kind: 'none' } }));
    expect(promptText(stub.requests[1])).toContain(`"${long}"`);
  });

  it('a per-call budget wins over MIRAGE_VLM_MAX_TOKENS; MIRAGE_VLM_REPETITION_PENALTY overrides the penalty and is reported', async () => {
    stub.enqueue(completion('A red square.', 1, 1), completion('A red square.', 1, 1), completion('A red square.', 1, 1));
    await (await episodeFor('generative', { maxTokens: 64, repetitionPenalty: 1.3 })).describe();
    expect(sampling(stub.requests[0])).toMatchObject({ max_tokens: 500, repetition_penalty: 1.3 });

    const off = searcher({ repetitionPenalty: 1, temperature: 0.2 });
    await (await off.startEpisode(target, 1, { strategy: 'generative' })).describe();
    expect(stub.requests[1]?.body).not.toHaveProperty('repetition_penalty');
    expect(off.profile.settings.repetitionPenalty).toBe('not sent');
    expect(off.profile.deviations).toEqual(
      expect.arrayContaining([
        'Sampling temperature 0.2; the reference used 0.7.',
        'Repetition penalty not sent (MIRAGE_VLM_REPETITION_PENALTY); the reference used 1.1.',
      ]),
    );
  });

  it('says what to do when the server rejects repetition_penalty', async () => {
    stub.enqueue(failure(400, 'Unrecognized request argument supplied: repetition_penalty'));
    const error = await errorOf((await episodeFor('generative', { maxRetries: 0 })).describe());
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/repetition_penalty \(this server does not take repetition_penalty; MIRAGE_VLM_REPETITION_PENALTY=1 leaves it out/);
  });

  it('sends one replayable seed per call', async () => {
    const seedsOf = async () => {
      const before = stub.requests.length;
      stub.enqueue(completion('A red square.', 1, 1), completion('x', 1, 1), completion('A red square.', 1, 1));
      const episode = await episodeFor('text');
      await episode.describe();
      await episode.refine(shown({ feedback: { kind: 'none' } }));
      return stub.requests.slice(before).map((r) => r.body.seed);
    };
    const first = await seedsOf();
    expect(new Set(first).size).toBe(3);
    expect(await seedsOf()).toEqual(first);
  });

  it('needs the strategy to open an episode, and round 0 before any refinement', async () => {
    expect((await errorOf(searcher().startEpisode(target, 1))).message).toMatch(/open each strategy with its own call/);
    const episode = await episodeFor('text');
    expect((await errorOf(episode.refine(shown({ feedback: { kind: 'none' } })))).message).toMatch(/before round 0 described the target/);
    expect(stub.attempts).toBe(0);
  });
});
