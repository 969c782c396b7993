import { z } from 'zod';
import { firstProblem, settingsFromEnv, withOverrides } from '../../config/env-settings.js';
import { MirageError } from '../../errors.js';

export const vlmConfigSchema = z.object({
  /** OpenAI-compatible API root, e.g. http://localhost:11434/v1 (Ollama) or https://api.openai.com/v1. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  model: z.string().trim().min(1, 'must not be empty'),
  /** Sent as a Bearer token; local servers (Ollama, vLLM, LM Studio) usually need none. */
  apiKey: z.string().min(1).optional(),
  temperature: z.number().min(0).max(2).default(0.7),
  topP: z.number().gt(0).max(1).default(0.9),
  /** Retries after the first attempt, for 408, 429, 5xx, network errors and timeouts. */
  maxRetries: z.number().int().min(0).max(20).default(5),
  /** Per attempt; vision models on a CPU can take minutes for one image. */
  timeoutMs: z.number().int().positive().default(180_000),
  /** First backoff delay; it doubles per retry (full jitter) up to retryMaxMs. */
  retryBaseMs: z.number().int().min(0).default(1_000),
  /** Cap on one backoff delay and on a server's Retry-After. */
  retryMaxMs: z.number().int().min(0).default(60_000),
  /** Sent as max_tokens when set; left out otherwise because some servers reject it. A prompt set's per-call budget wins. */
  maxTokens: z.number().int().positive().optional(),
  /**
   * Overrides the prompt set's repetition penalty (genir-ref: 1.1); 1 means none and leaves the
   * field out, for servers that reject repetition_penalty.
   */
  repetitionPenalty: z.number().positive().max(10).optional(),
});

export type VlmConfig = z.output<typeof vlmConfigSchema>;
export type VlmConfigInput = z.input<typeof vlmConfigSchema>;

export const VLM_CONFIG_ENV: Readonly<Record<keyof VlmConfig, string>> = {
  baseUrl: 'MIRAGE_VLM_BASE_URL',
  model: 'MIRAGE_VLM_MODEL',
  apiKey: 'MIRAGE_VLM_API_KEY',
  temperature: 'MIRAGE_VLM_TEMPERATURE',
  topP: 'MIRAGE_VLM_TOP_P',
  maxRetries: 'MIRAGE_VLM_MAX_RETRIES',
  timeoutMs: 'MIRAGE_VLM_TIMEOUT_MS',
  retryBaseMs: 'MIRAGE_VLM_RETRY_BASE_MS',
  retryMaxMs: 'MIRAGE_VLM_RETRY_MAX_MS',
  maxTokens: 'MIRAGE_VLM_MAX_TOKENS',
  repetitionPenalty: 'MIRAGE_VLM_REPETITION_PENALTY',
};

const TEXT_KEYS: ReadonlySet<keyof VlmConfig> = new Set(['baseUrl', 'model', 'apiKey']);

const REQUIRED_HINT: Partial<Record<keyof VlmConfig, string>> = {
  baseUrl: 'the OpenAI-compatible API root, e.g. http://localhost:11434/v1 for Ollama',
  model: 'a vision-language model the server serves, e.g. qwen2.5vl:7b',
};

/** Reads the VLM searcher's settings from the environment, then explicit overrides on top. */
export function loadVlmConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: Partial<VlmConfigInput> = {},
): VlmConfig {
  const input = withOverrides(
    settingsFromEnv(env, VLM_CONFIG_ENV, (key, raw) => (TEXT_KEYS.has(key) ? raw : Number(raw))),
    overrides,
  );

  for (const [key, hint] of Object.entries(REQUIRED_HINT) as [keyof VlmConfig, string][]) {
    if (input[key] === undefined) {
      throw new MirageError('INVALID_INPUT', `VLM searcher is not configured: set ${VLM_CONFIG_ENV[key]} to ${hint}.`);
    }
  }
  const result = vlmConfigSchema.safeParse(input);
  if (!result.success) {
    const problem = firstProblem(result.error, VLM_CONFIG_ENV);
    const where = problem.key ? `${problem.key} (${problem.variable})` : 'configuration';
    throw new MirageError('INVALID_INPUT', `Invalid VLM configuration: ${where}: ${problem.message}`);
  }
  return result.data;
}
