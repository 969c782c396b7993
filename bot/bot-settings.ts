import { z } from 'zod';
import { archiveNameSchema } from '../core/session/requests.js';
import { commaList, firstProblem, settingsFromEnv, withOverrides } from '../core/config/env-settings.js';
import { MirageError } from '../core/errors.js';

const snowflake = z.string().regex(/^\d{15,21}$/, 'must be a Discord id (digits)');

export const botSettingsSchema = z.object({
  token: z.string().min(20, 'looks too short for a bot token'),
  applicationId: snowflake,
  /** A Discord-compatible REST base ("https://proxy.example/api"); the gateway comes from its /gateway/bot. */
  apiBase: z.url({ protocol: /^https?$/ }).optional(),
  /** Embedder that indexes a guild's archive (an installed model such as clip-vit-b32, or scenes). */
  embedder: z.string().min(1).max(128).default('scenes'),
  /** Archives every guild may search, read-only (a Scenes demo world, a shared photo archive). */
  publicArchives: z.array(archiveNameSchema).max(20).default([]),
  /** A search whose buttons went unused this long has expired. */
  sessionIdleHours: z.number().min(0.01).max(24 * 30).default(24),
  /** Rounds one member may start per minute (besides one at a time). */
  memberRoundsPerMinute: z.number().int().min(1).max(600).default(10),
  /** Rounds one guild may start per minute, all members together. */
  guildRoundsPerMinute: z.number().int().min(1).max(10_000).default(60),
  /** Attachments larger than this are not indexed. */
  maxAttachmentMb: z.number().min(0.1).max(500).default(25),
  /** Messages a backfill reads at most, unless the admin asks for fewer. */
  backfillLimit: z.number().int().min(1).max(100_000).default(1000),
  /** How often indexed messages are checked for deletions the bot missed (0: never). */
  sweepMinutes: z.number().min(0).max(7 * 24 * 60).default(360),
  /** Messages checked per sweep at most, so a big archive is checked over several sweeps. */
  sweepBatch: z.number().int().min(1).max(100_000).default(500),
  /** "off" runs without the privileged Message Content intent: searches work, indexing does not. */
  messageContent: z.enum(['auto', 'off']).default('auto'),
  /** How long a shutdown waits for running rounds before it hands them back. */
  shutdownGraceSeconds: z.number().min(0).max(600).default(20),
});

export type BotSettings = z.output<typeof botSettingsSchema>;
export type BotSettingsInput = z.input<typeof botSettingsSchema>;

/** Environment variable of each setting; the README and docker-compose.yml use these names. */
export const BOT_ENV: Readonly<Record<keyof BotSettings, string>> = {
  token: 'DISCORD_TOKEN',
  applicationId: 'DISCORD_APPLICATION_ID',
  apiBase: 'DISCORD_API_BASE',
  embedder: 'MIRAGE_BOT_EMBEDDER',
  publicArchives: 'MIRAGE_BOT_PUBLIC_ARCHIVES',
  sessionIdleHours: 'MIRAGE_BOT_SESSION_IDLE_HOURS',
  memberRoundsPerMinute: 'MIRAGE_BOT_MEMBER_ROUNDS_PER_MINUTE',
  guildRoundsPerMinute: 'MIRAGE_BOT_GUILD_ROUNDS_PER_MINUTE',
  maxAttachmentMb: 'MIRAGE_BOT_MAX_ATTACHMENT_MB',
  backfillLimit: 'MIRAGE_BOT_BACKFILL_LIMIT',
  sweepMinutes: 'MIRAGE_BOT_SWEEP_MINUTES',
  sweepBatch: 'MIRAGE_BOT_SWEEP_BATCH',
  messageContent: 'MIRAGE_BOT_MESSAGE_CONTENT',
  shutdownGraceSeconds: 'MIRAGE_BOT_SHUTDOWN_GRACE_SECONDS',
};

const NUMBERS: ReadonlySet<keyof BotSettings> = new Set([
  'sessionIdleHours',
  'memberRoundsPerMinute',
  'guildRoundsPerMinute',
  'maxAttachmentMb',
  'backfillLimit',
  'sweepMinutes',
  'sweepBatch',
  'shutdownGraceSeconds',
]);

/** Reads the bot's settings from the environment, then explicit overrides on top. */
export function loadBotSettings(env: Readonly<Record<string, string | undefined>>, overrides: Partial<BotSettingsInput> = {}): BotSettings {
  const fromEnv = settingsFromEnv(env, BOT_ENV, (key, raw) => (key === 'publicArchives' ? commaList(raw) : NUMBERS.has(key) ? Number(raw) : raw));
  const result = botSettingsSchema.safeParse(withOverrides(fromEnv, overrides));
  if (result.success) return result.data;
  const problem = firstProblem(result.error, BOT_ENV);
  throw new MirageError('INVALID_INPUT', `Invalid bot setting ${problem.variable ?? 'of the bot'}: ${problem.missing ? 'it is not set' : problem.message}.`);
}
