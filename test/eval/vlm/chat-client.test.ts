import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MirageError } from '../../../core/errors.js';
import { ChatClient } from '../../../core/eval/vlm/chat-client.js';
import { chatCompletionsUrl } from '../../../core/eval/vlm/chat-endpoint.js';
import { textPart } from '../../../core/eval/vlm/chat-messages.js';
import { loadVlmConfig, type VlmConfigInput } from '../../../core/eval/vlm/vlm-config.js';
import { ChatStub, completion, failure } from './chat-stub.js';

const HELLO = [{ role: 'user' as const, content: [textPart('hello')] }];

let stub: ChatStub;
beforeEach(async () => {
  stub = await ChatStub.start('/api/v1/chat/completions');
});
afterEach(async () => {
  await stub.close();
});

/** A client whose waits are recorded instead of slept. */
function client(overrides: Partial<VlmConfigInput> = {}, jitterSeed = 7) {
  const waits: number[] = [];
  const config = loadVlmConfig({ MIRAGE_VLM_BASE_URL: `${stub.origin}/api/v1/`, MIRAGE_VLM_MODEL: 'm' }, overrides);
  const chat = new ChatClient(config, { jitterSeed, sleep: async (ms) => void waits.push(ms) });
  return { chat, waits };
}

async function failureOf(promise: Promise<unknown>): Promise<MirageError> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof MirageError)) throw new Error(`expected a MirageError, got ${String(error)}`);
  return error;
}

describe('ChatClient', () => {
  it('posts to {base}/chat/completions with the seed and max_tokens when given', async () => {
    stub.enqueue(completion('hi', 3, 1));
    const { chat } = client({ maxTokens: 64 });
    expect(await chat.complete(HELLO, { seed: 1234 })).toBe('hi');
    expect(stub.requests[0]?.body).toMatchObject({ model: 'm', seed: 1234, max_tokens: 64, stream: false });
  });

  it('leaves seed and max_tokens out when not given', async () => {
    stub.enqueue(completion('hi', 3, 1));
    await client().chat.complete(HELLO);
    expect(stub.requests[0]?.body).not.toHaveProperty('seed');
    expect(stub.requests[0]?.body).not.toHaveProperty('max_tokens');
  });

  it('waits what Retry-After asks, in seconds or as an HTTP date', async () => {
    const inThreeSeconds = new Date(Date.now() + 3_000).toUTCString();
    stub.enqueue(
      failure(429, 'slow down', { 'retry-after': '2' }),
      failure(429, 'slow down', { 'retry-after': inThreeSeconds }),
      failure(429, 'slow down', { 'retry-after-ms': '250' }),
      completion('ok', 1, 1),
    );
    const { chat, waits } = client({ maxRetries: 3 });
    expect(await chat.complete(HELLO)).toBe('ok');
    expect(waits[0]).toBe(2_000);
    // An HTTP date has one-second resolution and time passes before it is read.
    expect(waits[1]).toBeGreaterThan(1_000);
    expect(waits[1]).toBeLessThanOrEqual(3_000);
    expect(waits[2]).toBe(250);
  });

  it('caps a long Retry-After at retryMaxMs', async () => {
    stub.enqueue(failure(429, 'slow down', { 'retry-after': '3600' }), completion('ok', 1, 1));
    const { chat, waits } = client({ retryMaxMs: 5_000 });
    await chat.complete(HELLO);
    expect(waits).toEqual([5_000]);
  });

  it('backs off exponentially with jitter when the server gives no Retry-After', async () => {
    stub.enqueue(...Array.from({ length: 5 }, () => failure(500, 'boom')), completion('ok', 1, 1));
    const { chat, waits } = client({ maxRetries: 5, retryBaseMs: 100, retryMaxMs: 1_000 });
    await chat.complete(HELLO);
    const ceilings = [100, 200, 400, 800, 1_000];
    expect(waits).toHaveLength(5);
    waits.forEach((wait, i) => {
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThanOrEqual(ceilings[i] ?? 0);
    });
    // Jitter: not simply the ceilings.
    expect(waits).not.toEqual(ceilings);
  });

  it('draws the same jitter for the same seed', async () => {
    const run = async (seed: number) => {
      stub.enqueue(failure(502, 'x'), failure(502, 'x'), failure(502, 'x'), completion('ok', 1, 1));
      const { chat, waits } = client({ maxRetries: 3, retryBaseMs: 1_000, retryMaxMs: 10_000 }, seed);
      await chat.complete(HELLO);
      return waits;
    };
    const first = await run(11);
    expect(await run(11)).toEqual(first);
    expect(await run(12)).not.toEqual(first);
  });

  it('does not retry 401 and hints at the API key', async () => {
    stub.enqueue(failure(401, 'Incorrect API key provided'));
    const { chat, waits } = client({ maxRetries: 4 });
    const error = await failureOf(chat.complete(HELLO));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/HTTP 401 .*Incorrect API key provided \(check MIRAGE_VLM_API_KEY\)/);
    expect(waits).toEqual([]);
  });

  it('reads error messages in vLLM and plain-text shapes', async () => {
    stub.enqueue(
      { status: 404, body: { object: 'error', message: 'The model `m` does not exist.' } },
      { status: 422, body: '<html>Unprocessable</html>' },
    );
    const { chat } = client();
    expect((await failureOf(chat.complete(HELLO))).message).toMatch(/HTTP 404 .*The model `m` does not exist\. \(check MIRAGE_VLM_BASE_URL and MIRAGE_VLM_MODEL\)/);
    expect((await failureOf(chat.complete(HELLO))).message).toContain('HTTP 422 Unprocessable Entity: <html>Unprocessable</html>');
  });

  it('retries network errors and reports the last one', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const waits: number[] = [];
    const config = loadVlmConfig({ MIRAGE_VLM_BASE_URL: `http://127.0.0.1:${port}/v1`, MIRAGE_VLM_MODEL: 'm', MIRAGE_VLM_MAX_RETRIES: '2' });
    const chat = new ChatClient(config, { sleep: async (ms) => void waits.push(ms) });
    const error = await failureOf(chat.complete(HELLO));
    expect(error.code).toBe('MODEL_ERROR');
    expect(error.message).toMatch(/failed after 3 attempts; last error: network error: .*ECONNREFUSED/);
    expect(waits).toHaveLength(2);
  });

  it('times out a silent server with a TIMEOUT error', async () => {
    stub.enqueue({ hang: true }, { hang: true });
    const { chat } = client({ timeoutMs: 50, maxRetries: 1 });
    const error = await failureOf(chat.complete(HELLO));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/failed after 2 attempts; last error: no response within 50 ms/);
    expect(stub.attempts).toBe(2);
  });

  it.each([
    ['a body that is not JSON', 'Internal proxy page', /not JSON/],
    ['no choices', { choices: [] }, /choices: /],
    ['an empty reply', completion('  ', 1, 0).body, /content is empty/],
    [
      'a reply cut off before any text',
      { choices: [{ message: { content: '' }, finish_reason: 'length' }] },
      /cut off by the token limit .*MIRAGE_VLM_MAX_TOKENS/,
    ],
    ['a refusal', { choices: [{ message: { content: null, refusal: 'I cannot help with that.' } }] }, /refused to answer: I cannot help/],
  ])('reports %s as a MODEL_ERROR without retrying', async (_, body, pattern) => {
    stub.enqueue({ body });
    const { chat, waits } = client({ maxRetries: 3 });
    const error = await failureOf(chat.complete(HELLO));
    expect(error.code).toBe('MODEL_ERROR');
    expect(error.message).toMatch(pattern);
    expect(waits).toEqual([]);
  });

  it('accepts replies given as content parts and replies without usage', async () => {
    stub.enqueue({ body: { choices: [{ message: { content: [{ type: 'text', text: 'a ' }, { type: 'text', text: 'b' }] } }] } });
    const { chat } = client();
    expect(await chat.complete(HELLO)).toBe('a b');
    expect(chat.usage()).toEqual({ promptTokens: 0, completionTokens: 0, requests: 1 });
  });
});

describe('chatCompletionsUrl', () => {
  it.each([
    ['http://localhost:11434/v1', 'http://localhost:11434/v1/chat/completions'],
    ['http://localhost:11434/v1/', 'http://localhost:11434/v1/chat/completions'],
    ['http://localhost:8000', 'http://localhost:8000/v1/chat/completions'],
    ['https://api.openai.com/v1/chat/completions', 'https://api.openai.com/v1/chat/completions'],
    ['https://example.com/openai/deployments/x?api-version=1', 'https://example.com/openai/deployments/x/chat/completions?api-version=1'],
  ])('%s -> %s', (base, url) => {
    expect(chatCompletionsUrl(base)).toBe(url);
  });
});
