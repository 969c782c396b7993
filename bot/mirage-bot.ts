import { join } from 'node:path';
import { Events, type Client } from 'discord.js';
import type { Logger } from 'pino';
import type { MirageConfig } from '../core/config/config.js';
import { stagingFolder } from '../core/ingest/ingest-access.js';
import { createFrontEndState } from '../core/runtime/create-front-end-state.js';
import { createRuntime } from '../core/runtime/runtime.js';
import type { BotContext, IndexingStatus } from './bot-context.js';
import type { BotSettings } from './bot-settings.js';
import { discordChannels } from './discord-channels.js';
import { createDiscordClient, messageContentAccess } from './discord-client.js';
import { onGuilds } from './events/guild-events.js';
import { onInteraction } from './events/interaction-create.js';
import { onMessages } from './events/message-events.js';
import { GuildRepository } from './repositories/guild-repository.js';
import { MessageIndex } from './repositories/message-index.js';
import { SearchRepository } from './repositories/search-repository.js';
import { attachmentHosts } from './services/attachment-download.js';
import { BackfillService } from './services/backfill-service.js';
import { IndexingService } from './services/indexing-service.js';
import { ReconcileService } from './services/reconcile-service.js';
import { RoundLimits } from './services/round-limits.js';
import { RoundTracker } from './services/round-tracker.js';
import { SearchService } from './services/search-service.js';

export interface MirageBot {
  readonly client: Client;
  readonly context: BotContext;
  /** Runs one reconciliation sweep now (the timer runs them every settings.sweepMinutes). */
  sweep(): Promise<{ checked: number; removed: number }>;
  /**
   * Stops taking interactions, lets running rounds finish for the grace period (then cancels
   * them), waits for indexing under way, and disconnects.
   */
  close(): Promise<void>;
}

const HOUR_MS = 3_600_000;

/**
 * The Discord bot: the Engine from core/runtime (in process, or the workers when REDIS_URL is
 * set), its state next to the engine's (files, or Redis), and a discord.js client logged in to
 * Discord or to the server at DISCORD_API_BASE. Resolves once the bot is ready.
 */
export async function startBot(config: MirageConfig, settings: BotSettings, log: Logger): Promise<MirageBot> {
  const runtime = createRuntime(config);
  const state = createFrontEndState(config, 'discord', (e) => log.warn({ error: e.message }, 'redis connection trouble'));
  const guilds = new GuildRepository(state.documents('guilds'));
  const messages = new MessageIndex(state.documents('messages'));
  const rounds = new RoundTracker();
  const search = new SearchService({
    engine: runtime.engine,
    searches: new SearchRepository(state.documents('searches'), state.documents('members')),
    limits: new RoundLimits(state, settings),
    rounds,
    idleMs: settings.sessionIdleHours * HOUR_MS,
    log,
  });
  const indexing = new IndexingService({
    engine: runtime.engine,
    guilds,
    messages,
    embedder: settings.embedder,
    maxAttachmentBytes: Math.round(settings.maxAttachmentMb * 1024 * 1024),
    attachmentHosts: attachmentHosts(settings.apiBase),
    stagingDir: join(stagingFolder(config.dataDir), 'discord'),
    log,
  });
  const indexingStatus: IndexingStatus = await messageContentAccess(settings);
  if (!indexingStatus.enabled) log.warn({ reason: indexingStatus.reason }, 'indexing is off');

  const client = createDiscordClient(settings, indexingStatus.enabled);
  const reader = discordChannels(client);
  const backfills = new BackfillService({ guilds, indexing, reader, log });
  const reconcile = new ReconcileService({ guilds, messages, indexing, reader, batch: settings.sweepBatch, log });
  const context: BotContext = { engine: runtime.engine, settings, guilds, search, indexing, backfills, indexingStatus, log };

  let closing = false;
  onInteraction(client, context, () => closing);
  onMessages(client, context);
  onGuilds(client, context);
  client.on(Events.Error, (e) => log.warn({ error: e.message }, 'discord client error'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(settings.token);
  await ready;
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size, indexing: indexingStatus.enabled }, 'bot ready');
  if (indexingStatus.enabled) void backfills.resumeAll().catch((e: unknown) => log.warn({ error: String(e) }, 'could not resume backfills'));

  const sweep = async () => (indexingStatus.enabled ? reconcile.sweep() : { checked: 0, removed: 0 });
  const timers = [
    ...(settings.sweepMinutes > 0 ? [setInterval(() => void sweep().catch((e: unknown) => log.warn({ error: String(e) }, 'sweep failed')), settings.sweepMinutes * 60_000)] : []),
    setInterval(() => void search.expireIdle().catch((e: unknown) => log.warn({ error: String(e) }, 'expiry sweep failed')), Math.min(HOUR_MS, settings.sessionIdleHours * HOUR_MS)),
  ];
  for (const timer of timers) timer.unref();

  return {
    client,
    context,
    sweep,
    async close() {
      closing = true;
      for (const timer of timers) clearInterval(timer);
      const drained = await rounds.drain(settings.shutdownGraceSeconds * 1000);
      log.info(drained, 'rounds finished or handed back');
      await indexing.settle();
      await client.destroy();
      await state.close();
      await runtime.engine.close();
    },
  };
}
