import { setTimeout as delay } from 'node:timers/promises';
import { MirageError } from '../../errors.js';
import { Prng } from '../../random/prng.js';
import type { TokenUsage } from '../searcher.js';
import { chatCompletionsUrl } from './chat-endpoint.js';
import type { ChatMessage, FunctionTool, ToolCall } from './chat-messages.js';
import { parseChatCompletion, serverErrorMessage, type ChatCompletion } from './chat-response.js';
import { backoffMs, isRetryableStatus, retryAfterMs } from './retry-policy.js';
import type { VlmConfig } from './vlm-config.js';

export interface ChatClientOptions {
  /** Seeds the backoff jitter, so that a replayed run waits the same way. */
  readonly jitterSeed?: number;
  /** Replaces the real wait between attempts (tests observe delays without waiting). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface ChatRequestOptions {
  /** Sampling seed for servers that honour one (OpenAI, vLLM, Ollama, LM Studio do). */
  readonly seed?: number;
  /** This call's max_tokens; the configured MIRAGE_VLM_MAX_TOKENS applies when absent. */
  readonly maxTokens?: number;
  /** Sent as repetition_penalty, vLLM's name; a server that does not know the field may ignore it (Ollama) or reject it. */
  readonly repetitionPenalty?: number;
}

export interface ToolRequestOptions extends ChatRequestOptions {
  readonly tools: readonly FunctionTool[];
}

/** An assistant turn that may call tools: text (possibly empty) and the calls, in order. */
export interface AssistantTurn {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
}

/** Why one attempt failed in a way another attempt may fix. */
interface TransientFailure {
  readonly reason: string;
  readonly timedOut: boolean;
  readonly waitMs?: number;
}

/**
 * Minimal OpenAI-compatible chat-completions client over Node's fetch: retries transient
 * failures with backoff, surfaces everything else as a MirageError, and counts tokens.
 */
export class ChatClient {
  readonly endpoint: string;
  private readonly prng: Prng;
  private readonly sleep: (ms: number) => Promise<void>;
  private promptTokens = 0;
  private completionTokens = 0;
  private requests = 0;

  constructor(
    private readonly config: VlmConfig,
    options: ChatClientOptions = {},
  ) {
    this.endpoint = chatCompletionsUrl(config.baseUrl);
    this.prng = new Prng(options.jitterSeed ?? 0);
    this.sleep = options.sleep ?? ((ms) => delay(ms));
  }

  /** The assistant's reply text. */
  async complete(messages: readonly ChatMessage[], options: ChatRequestOptions = {}): Promise<string> {
    const { text } = await this.send(messages, options);
    if (text.trim() === '') {
      throw new MirageError('MODEL_ERROR', `VLM server at ${this.endpoint} answered with tool calls where text was expected.`);
    }
    return text;
  }

  /** One assistant turn with the given functions on offer (OpenAI tool calling). */
  async converse(messages: readonly ChatMessage[], options: ToolRequestOptions): Promise<AssistantTurn> {
    const { text, toolCalls } = await this.send(messages, options);
    return { text, toolCalls };
  }

  private async send(
    messages: readonly ChatMessage[],
    options: ChatRequestOptions & { readonly tools?: readonly FunctionTool[] },
  ): Promise<ChatCompletion> {
    const maxTokens = options.maxTokens ?? this.config.maxTokens;
    const body = JSON.stringify({
      model: this.config.model,
      messages,
      temperature: this.config.temperature,
      top_p: this.config.topP,
      stream: false,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.tools === undefined ? {} : { tools: options.tools, tool_choice: 'auto' }),
      ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
      ...(options.repetitionPenalty === undefined ? {} : { repetition_penalty: options.repetitionPenalty }),
    });
    for (let retry = 0; ; retry++) {
      const outcome = await this.attempt(body);
      if (!('reason' in outcome)) return outcome;
      if (retry >= this.config.maxRetries) throw this.exhausted(outcome, retry + 1);
      const wait = outcome.waitMs ?? backoffMs(retry, this.config.retryBaseMs, this.config.retryMaxMs, this.prng);
      await this.sleep(Math.min(wait, this.config.retryMaxMs));
    }
  }

  /** Tokens reported by the server over all successful requests (failed attempts are not billed). */
  usage(): TokenUsage {
    return { promptTokens: this.promptTokens, completionTokens: this.completionTokens, requests: this.requests };
  }

  private async attempt(body: string): Promise<ChatCompletion | TransientFailure> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: this.headers(),
        body,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      text = await response.text();
    } catch (e) {
      const timedOut = e instanceof Error && e.name === 'TimeoutError';
      return { timedOut, reason: timedOut ? `no response within ${this.config.timeoutMs} ms` : networkReason(e) };
    }
    if (response.ok) {
      const completion = parseChatCompletion(text, this.endpoint);
      this.promptTokens += completion.promptTokens;
      this.completionTokens += completion.completionTokens;
      this.requests += 1;
      return completion;
    }
    const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    const message = serverErrorMessage(text);
    if (isRetryableStatus(response.status)) {
      return { timedOut: false, reason: `${status}: ${message}`, waitMs: retryAfterMs(response.headers) };
    }
    throw new MirageError(
      'INVALID_INPUT',
      `VLM server at ${this.endpoint} rejected the request with ${status}: ${message}${hintFor(response.status, message)}`,
    );
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.config.apiKey) headers.authorization = `Bearer ${this.config.apiKey}`;
    return headers;
  }

  private exhausted(last: TransientFailure, attempts: number): MirageError {
    return new MirageError(
      last.timedOut ? 'TIMEOUT' : 'MODEL_ERROR',
      `VLM request to ${this.endpoint} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}; last error: ${last.reason}`,
    );
  }
}

function networkReason(e: unknown): string {
  // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, ENOTFOUND...) in cause.
  const cause = e instanceof Error ? e.cause : undefined;
  const detail =
    cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : undefined;
  const message = e instanceof Error ? e.message : String(e);
  return `network error: ${detail ? `${message} (${detail})` : message}`;
}

function hintFor(status: number, message: string): string {
  if (status === 401 || status === 403) return ' (check MIRAGE_VLM_API_KEY)';
  if (status === 404) return ' (check MIRAGE_VLM_BASE_URL and MIRAGE_VLM_MODEL)';
  if (/repetition_penalty/.test(message)) {
    return ' (this server does not take repetition_penalty; MIRAGE_VLM_REPETITION_PENALTY=1 leaves it out, and the run then differs from the reference)';
  }
  return '';
}
