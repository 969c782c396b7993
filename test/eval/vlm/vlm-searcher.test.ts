import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MirageError } from '../../../core/errors.js';
import type { ShownFeedback, TargetImage } from '../../../core/eval/searcher.js';
import { loadVlmConfig, type VlmConfigInput } from '../../../core/eval/vlm/vlm-config.js';
import { VlmSearcher } from '../../../core/eval/vlm/vlm-searcher.js';
import { ChatStub, completion, failure, imageUrls, partTypes, promptText } from './chat-stub.js';
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
  const config = loadVlmConfig(
    { MIRAGE_VLM_BASE_URL: `${stub.origin}/v1`, MIRAGE_VLM_MODEL: 'qwen2.5vl:7b', MIRAGE_VLM_RETRY_BASE_MS: '1' },
    overrides,
  );
  return new VlmSearcher({ config });
}

const shown = (over: Partial<ShownFeedback> & Pick<ShownFeedback, 'feedback'>): ShownFeedback => ({
  round: 1,
  previousQuery: 'a red square',
  synthetic: [],
  ...over,
});

describe('VlmSearcher', () => {
  it('names its prompt version and model in its id', () => {
    expect(searcher().id).toBe('vlm:v1:qwen2.5vl:7b');
  });

  it('round 0 sends the target as a PNG data URL with the describe prompt and returns the reply as one paragraph', async () => {
    stub.enqueue(completion('  A bright red square.\n\nNothing else is in the picture.  ', 120, 14));
    const episode = await searcher().startEpisode(target, 42);

    const query = await episode.describe();

    expect(query).toBe('A bright red square. Nothing else is in the picture.');
    expect(stub.requests).toHaveLength(1);
    const request = stub.requests[0];
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.body).toMatchObject({ model: 'qwen2.5vl:7b', temperature: 0.7, top_p: 0.9 });
    // v1 leaves the token limit to the server and sends no repetition penalty.
    expect(request?.body).not.toHaveProperty('max_tokens');
    expect(request?.body).not.toHaveProperty('repetition_penalty');
    // One persona as the system message, then the prompt text before the image.
    expect(request?.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(request?.body.messages[0]?.content).toMatch(/^You are playing a person who is searching/);
    expect(partTypes(request)).toEqual(['text', 'image_url']);
    expect(request?.headers.authorization).toBeUndefined();
    expect(promptText(request)).toContain('Describe it for the search system');
    const urls = imageUrls(request);
    expect(urls).toHaveLength(1);
    expect(await pictureIn(urls[0] ?? '')).toEqual({ mime: 'image/png', format: 'png', width: 32, height: 24, rgb: [...RED] });
  });

  it('caps a long description at a sentence boundary within 900 characters', async () => {
    const sentence = 'The red square sits on a plain background with nothing else around it. ';
    stub.enqueue(completion(sentence.repeat(30), 100, 400));
    const query = await (await searcher().startEpisode(target, 1)).describe();
    expect(query.length).toBeLessThanOrEqual(900);
    expect(query.length).toBeGreaterThan(800);
    expect(query.endsWith('around it.')).toBe(true);
  });

  it('generative refine compares the target with the first synthetic image, then rewrites from the differences', async () => {
    stub.enqueue(
      completion('- The square should be red, not blue.\n- It is wider than tall.', 300, 20),
      completion('A wide bright red rectangle on its own.', 200, 12),
    );
    const episode = await searcher().startEpisode(target, 42);
    const synthetic = [{ image: await solidPng(BLUE, 16, 16) }, { image: await solidPng(GREEN, 16, 16) }];

    const query = await episode.refine(
      shown({ feedback: { kind: 'synthetic', images: [{ id: 's1', seed: 1 }, { id: 's2', seed: 2 }] }, synthetic }),
    );

    expect(query).toBe('A wide bright red rectangle on its own.');
    expect(stub.requests).toHaveLength(2);
    const [compare, refine] = stub.requests;
    const compared = await Promise.all(imageUrls(compare).map(pictureIn));
    expect(compared.map((p) => p.rgb)).toEqual([[...RED], [...BLUE]]);
    expect(promptText(compare)).toContain('"a red square"');
    expect(promptText(refine)).toContain('"a red square"');
    expect(promptText(refine)).toContain('The square should be red, not blue. It is wider than tall.');
    const refined = await Promise.all(imageUrls(refine).map(pictureIn));
    expect(refined.map((p) => p.rgb)).toEqual([[...RED]]);
  });

  it('prediction refine compares against the top-1 retrieved image', async () => {
    stub.enqueue(completion('The picture I remember is red.', 300, 9), completion('A red square.', 200, 5));
    const episode = await searcher().startEpisode(target, 3);
    await episode.refine(
      shown({ feedback: { kind: 'top1', imageId: 'img-2' }, top1: { id: 'img-2', image: await solidPng(GREEN, 20, 10) } }),
    );
    const compared = await Promise.all(imageUrls(stub.requests[0]).map(pictureIn));
    expect(compared.map((p) => [p.width, p.height, p.rgb])).toEqual([
      [32, 24, [...RED]],
      [20, 10, [...GREEN]],
    ]);
  });

  it('verbal feedback: answers the question about the target, then folds the answer into the description', async () => {
    stub.enqueue(completion('It is red.', 150, 4), completion('A red square, clearly red all over.', 180, 9));
    const episode = await searcher().startEpisode(target, 5);

    const query = await episode.refine(
      shown({ feedback: { kind: 'question', attribute: 'colour', text: 'What colour is the main object?' } }),
    );

    expect(query).toBe('A red square, clearly red all over.');
    const [answer, fold] = stub.requests;
    expect(promptText(answer)).toContain('"What colour is the main object?"');
    expect(imageUrls(answer)).toHaveLength(1);
    expect(promptText(fold)).toContain('You answered: "It is red."');
    expect(promptText(fold)).toContain('"a red square"');
  });

  it('text feedback asks for one more remembered detail', async () => {
    stub.enqueue(completion('A red square with sharp corners.', 100, 8));
    const query = await (await searcher().startEpisode(target, 5)).refine(shown({ feedback: { kind: 'none' } }));
    expect(query).toBe('A red square with sharp corners.');
    expect(stub.requests).toHaveLength(1);
    expect(promptText(stub.requests[0])).toContain('one more detail');
  });

  it('sums token usage and requests over an episode', async () => {
    stub.enqueue(completion('A red square.', 120, 14), completion('Red, not blue.', 300, 5), completion('A red square.', 200, 6));
    const episode = await searcher().startEpisode(target, 9);
    expect(episode.usage()).toEqual({ promptTokens: 0, completionTokens: 0, requests: 0 });
    await episode.describe();
    await episode.refine(shown({ feedback: { kind: 'synthetic', images: [] }, synthetic: [{ image: await solidPng(BLUE, 8, 8) }] }));
    expect(episode.usage()).toEqual({ promptTokens: 620, completionTokens: 25, requests: 3 });
  });

  it('sends a sampling seed derived from the episode seed, round and step', async () => {
    const seedsOf = async (episodeSeed: number) => {
      const before = stub.requests.length;
      stub.enqueue(completion('A red square.', 1, 1), completion('A red square.', 1, 1));
      const episode = await searcher().startEpisode(target, episodeSeed);
      await episode.describe();
      await episode.refine(shown({ feedback: { kind: 'none' } }));
      return stub.requests.slice(before).map((r) => r.body.seed);
    };
    const first = await seedsOf(42);
    expect(first.every((seed) => Number.isInteger(seed))).toBe(true);
    expect(first[0]).not.toBe(first[1]);
    expect(await seedsOf(42)).toEqual(first);
    expect(await seedsOf(43)).not.toEqual(first);
  });

  it('sends the API key as a bearer token and the configured sampling', async () => {
    stub.enqueue(completion('A red square.', 1, 1));
    const episode = await searcher({ apiKey: 'sk-test', temperature: 0.2, topP: 0.5 }).startEpisode(target, 1);
    await episode.describe();
    expect(stub.requests[0]?.headers.authorization).toBe('Bearer sk-test');
    expect(stub.requests[0]?.body).toMatchObject({ temperature: 0.2, top_p: 0.5 });
  });

  it('retries a 429 (Retry-After: 0) and a 503, then succeeds, counting only the successful request', async () => {
    stub.enqueue(
      failure(429, 'rate limited', { 'retry-after': '0' }),
      failure(503, 'model is loading'),
      completion('A red square.', 50, 5),
    );
    const episode = await searcher({ maxRetries: 3 }).startEpisode(target, 1);
    expect(await episode.describe()).toBe('A red square.');
    expect(stub.attempts).toBe(3);
    expect(episode.usage()).toEqual({ promptTokens: 50, completionTokens: 5, requests: 1 });
  });

  it('gives up after maxRetries with an error naming the attempts and the last failure', async () => {
    stub.enqueue(failure(503, 'overloaded'), failure(503, 'overloaded'), failure(503, 'still overloaded'));
    const episode = await searcher({ maxRetries: 2 }).startEpisode(target, 1);
    const error = await episode.describe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MirageError);
    expect((error as MirageError).code).toBe('MODEL_ERROR');
    expect((error as MirageError).message).toMatch(/failed after 3 attempts; last error: HTTP 503 .*still overloaded/);
    expect(stub.attempts).toBe(3);
  });

  it('surfaces a 400 at once with its status and the server message', async () => {
    stub.enqueue(failure(400, 'model qwen2.5vl:7b does not support images'));
    const episode = await searcher({ maxRetries: 3 }).startEpisode(target, 1);
    const error = await episode.describe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MirageError);
    expect((error as MirageError).code).toBe('INVALID_INPUT');
    expect((error as MirageError).message).toContain('HTTP 400');
    expect((error as MirageError).message).toContain('model qwen2.5vl:7b does not support images');
    expect(stub.attempts).toBe(1);
  });

  it('rejects feedback that lacks the image it refers to', async () => {
    const episode = await searcher().startEpisode(target, 1);
    await expect(episode.refine(shown({ feedback: { kind: 'top1', imageId: 'x' } }))).rejects.toThrow(/without the top-1 image/);
    await expect(episode.refine(shown({ feedback: { kind: 'synthetic', images: [] } }))).rejects.toThrow(/no synthetic image/);
    expect(stub.attempts).toBe(0);
  });

  it('shrinks a large target and converts WebP before sending', async () => {
    stub.enqueue(completion('A red square.', 1, 1));
    const big = await sharp({ create: { width: 300, height: 150, channels: 3, background: { r: RED[0], g: RED[1], b: RED[2] } } })
      .webp({ lossless: true })
      .toBuffer();
    const config = loadVlmConfig({ MIRAGE_VLM_BASE_URL: stub.origin, MIRAGE_VLM_MODEL: 'm' });
    const episode = await new VlmSearcher({ config, maxImageSide: 100 }).startEpisode(
      { id: 'w', image: { bytes: big, mime: 'image/webp', width: 300, height: 150 } },
      1,
    );
    await episode.describe();
    const picture = await pictureIn(imageUrls(stub.requests[0])[0] ?? '');
    expect(picture).toMatchObject({ mime: 'image/png', format: 'png', width: 100, height: 50 });
  });
});
