import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MirageError } from '../../../core/errors.js';
import { ChatClient } from '../../../core/eval/vlm/chat-client.js';
import { textPart, type FunctionTool } from '../../../core/eval/vlm/chat-messages.js';
import { loadVlmConfig } from '../../../core/eval/vlm/vlm-config.js';
import { ChatStub, completion, type StubReply } from './chat-stub.js';

const HELLO = [{ role: 'user' as const, content: [textPart('find it')] }];
const SEARCH: FunctionTool = {
  type: 'function',
  function: { name: 'search_round', description: 'search', parameters: { type: 'object', properties: { description: { type: 'string' } } } },
};

const toolReply = (toolCalls: unknown[], content: string | null = null): StubReply => ({
  body: {
    choices: [{ index: 0, message: { role: 'assistant', content, tool_calls: toolCalls }, finish_reason: 'tool_calls' }],
    usage: { prompt_tokens: 5, completion_tokens: 2 },
  },
});

let stub: ChatStub;
let chat: ChatClient;
beforeEach(async () => {
  stub = await ChatStub.start();
  chat = new ChatClient(loadVlmConfig({ MIRAGE_VLM_BASE_URL: `${stub.origin}/v1`, MIRAGE_VLM_MODEL: 'm', MIRAGE_VLM_MAX_RETRIES: '0' }));
});
afterEach(async () => {
  await stub.close();
});

describe('ChatClient tool calls', () => {
  it('sends the tools and returns the calls, with object arguments turned into JSON text', async () => {
    stub.enqueue(
      toolReply([
        { id: 'call_a', type: 'function', function: { name: 'search_round', arguments: '{"description":"a red car"}' } },
        { type: 'function', function: { name: 'search_round', arguments: { description: 'a blue car' } } },
      ]),
    );
    const turn = await chat.converse(HELLO, { tools: [SEARCH], seed: 3 });
    expect(stub.requests[0]?.body).toMatchObject({ tools: [SEARCH], tool_choice: 'auto', seed: 3 });
    expect(turn.text).toBe('');
    expect(turn.toolCalls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'search_round', arguments: '{"description":"a red car"}' } },
      { id: 'call_1', type: 'function', function: { name: 'search_round', arguments: '{"description":"a blue car"}' } },
    ]);
    expect(chat.usage()).toEqual({ promptTokens: 5, completionTokens: 2, requests: 1 });
  });

  it('returns plain text turns with no calls, and complete() still wants text', async () => {
    stub.enqueue(completion('thinking', 1, 1), toolReply([{ id: 'x', function: { name: 'search_round', arguments: '{}' } }]));
    expect(await chat.converse(HELLO, { tools: [SEARCH] })).toEqual({ text: 'thinking', toolCalls: [] });
    const error = await chat.complete(HELLO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MirageError);
    expect((error as MirageError).message).toMatch(/tool calls where text was expected/);
  });

  it('rejects a reply with neither text nor calls', async () => {
    stub.enqueue(toolReply([], ''));
    await expect(chat.converse(HELLO, { tools: [SEARCH] })).rejects.toThrow(/content is empty/);
  });
});
