import { z } from 'zod';
import { MirageError } from '../../errors.js';
import type { ToolCall } from './chat-messages.js';

const contentSchema = z.union([
  z.string(),
  // Some servers answer with content parts even for plain text.
  z.array(z.object({ type: z.string(), text: z.string().optional() })),
  z.null(),
]);

const toolCallsSchema = z.array(
  z.object({
    id: z.string().optional(),
    function: z.object({
      name: z.string().min(1),
      // Some servers (older Ollama) send the arguments as an object instead of JSON text.
      arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    }),
  }),
);

const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: contentSchema.optional(),
          refusal: z.string().nullish(),
          tool_calls: toolCallsSchema.nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z
    .object({
      prompt_tokens: z.number().nonnegative().default(0),
      completion_tokens: z.number().nonnegative().default(0),
    })
    .nullish(),
});

export interface ChatCompletion {
  /** Empty only when the reply is tool calls. */
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly promptTokens: number;
  readonly completionTokens: number;
}

const malformed = (endpoint: string, why: string) =>
  new MirageError('MODEL_ERROR', `VLM server at ${endpoint} returned a malformed response: ${why}`);

/** Parses a 2xx chat-completions body; anything without a usable reply is a MODEL_ERROR. */
export function parseChatCompletion(body: string, endpoint: string): ChatCompletion {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw malformed(endpoint, `not JSON (body starts with ${JSON.stringify(body.slice(0, 80))})`);
  }
  const parsed = completionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformed(endpoint, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'unexpected shape'}`);
  }
  const choice = parsed.data.choices[0];
  const message = choice?.message;
  if (message?.refusal) throw new MirageError('MODEL_ERROR', `VLM refused to answer: ${message.refusal}`);
  const content = message?.content;
  const text = typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join('');
  const toolCalls: ToolCall[] = (message?.tool_calls ?? []).map((call, i) => ({
    id: call.id ?? `call_${i}`,
    type: 'function',
    function: {
      name: call.function.name,
      arguments: typeof call.function.arguments === 'string' ? call.function.arguments : JSON.stringify(call.function.arguments ?? {}),
    },
  }));
  if (text.trim() === '' && toolCalls.length === 0) {
    const cutOff = choice?.finish_reason === 'length';
    throw malformed(
      endpoint,
      cutOff
        ? 'the reply was cut off by the token limit before any text (raise MIRAGE_VLM_MAX_TOKENS)'
        : 'choices[0].message.content is empty',
    );
  }
  return {
    text,
    toolCalls,
    promptTokens: parsed.data.usage?.prompt_tokens ?? 0,
    completionTokens: parsed.data.usage?.completion_tokens ?? 0,
  };
}

/** The human-readable message in an error body, in the shapes OpenAI, vLLM and Ollama use. */
export function serverErrorMessage(body: string): string {
  const raw = body.trim();
  try {
    const json: unknown = JSON.parse(raw);
    const found = findMessage(json);
    if (found) return found;
  } catch {
    // Not JSON: a proxy's HTML or plain-text page; show its text.
  }
  const text = raw.replace(/\s+/g, ' ');
  if (text === '') return '(no error message in the response body)';
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function findMessage(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const message = (error as Record<string, unknown>).message;
    if (typeof message === 'string') return message;
  }
  for (const key of ['message', 'detail'] as const) {
    const value = record[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}
