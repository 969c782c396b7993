import { delimiter } from 'node:path';
import { z } from 'zod';
import { MirageError } from '../errors.js';
import { firstProblem, settingsFromEnv, withOverrides } from './env-settings.js';

export const configSchema = z.object({
  /** Archives, sessions and synthetic images live here. */
  dataDir: z.string().min(1).default('./data'),
  /** Local model folders (ONNX exports); nothing is ever downloaded at run time. */
  modelsDir: z.string().min(1).default('./models'),
  /** When set, front ends use the queue-backed engine over this Redis. */
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  /** Namespace of every Redis key (queues, sessions, images), so several deployments can share one Redis. */
  redisPrefix: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be letters, digits, ".", "_" or "-"').default('mirage'),
  sessionTtlSeconds: z.number().int().positive().default(7 * 24 * 3600),
  executionProvider: z.enum(['cpu', 'cuda']).default('cpu'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Folders that ingestion requested by others (MCP clients, a bot, queue jobs) may read; the
   * local CLI is not confined. In the environment, separated like PATH (":" on Linux).
   */
  ingestRoots: z.array(z.string().min(1)).default([]),
  /** Whether URLs ingested for others may reach loopback and private network addresses. */
  ingestPrivateNetwork: z.boolean().default(false),
});

export type MirageConfig = z.output<typeof configSchema>;
export type MirageConfigInput = z.input<typeof configSchema>;

/** Environment variable for each setting; docker-compose.yml and the README use these names. */
export const CONFIG_ENV: Readonly<Record<keyof MirageConfig, string>> = {
  dataDir: 'MIRAGE_DATA_DIR',
  modelsDir: 'MIRAGE_MODELS_DIR',
  redisUrl: 'REDIS_URL',
  redisPrefix: 'MIRAGE_REDIS_PREFIX',
  sessionTtlSeconds: 'MIRAGE_SESSION_TTL',
  executionProvider: 'MIRAGE_EXECUTION_PROVIDER',
  logLevel: 'MIRAGE_LOG_LEVEL',
  ingestRoots: 'MIRAGE_INGEST_ROOTS',
  ingestPrivateNetwork: 'MIRAGE_INGEST_PRIVATE_NETWORK',
};

const BOOLEANS: ReadonlyMap<string, boolean> = new Map([['true', true], ['1', true], ['yes', true], ['false', false], ['0', false], ['no', false]]);

/** How a setting's environment text becomes its value (plain text when not listed). */
const FROM_ENV: Partial<Record<keyof MirageConfig, (raw: string) => unknown>> = {
  sessionTtlSeconds: Number,
  ingestRoots: (raw) => raw.split(delimiter).filter((p) => p !== ''),
  // Anything but these stays a string, which the schema then rejects with its message.
  ingestPrivateNetwork: (raw) => BOOLEANS.get(raw.toLowerCase()) ?? raw,
};

/** Reads settings from the environment, then explicit overrides (CLI flags) on top. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: MirageConfigInput = {},
): MirageConfig {
  const fromEnv = settingsFromEnv(env, CONFIG_ENV, (key, raw) => FROM_ENV[key]?.(raw) ?? raw);
  const result = configSchema.safeParse(withOverrides(fromEnv, overrides));
  if (!result.success) {
    const problem = firstProblem(result.error, CONFIG_ENV);
    const where = problem.key ? `${problem.key} (${problem.variable})` : 'configuration';
    throw new MirageError('INVALID_INPUT', `Invalid configuration: ${where}: ${problem.message}`);
  }
  return result.data;
}
