import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadBotSettings, type BotSettings, type BotSettingsInput } from '../../bot/bot-settings.js';
import { deployCommands } from '../../bot/deploy-commands.js';
import { startBot, type MirageBot } from '../../bot/mirage-bot.js';
import { loadConfig, type MirageConfigInput } from '../../core/config/config.js';
import { encodeImage } from '../../core/images/encode.js';
import { captionOf } from '../../core/scenes/caption.js';
import { renderScene } from '../../core/scenes/renderer.js';
import { sceneAt } from '../../core/scenes/sampler.js';
import { FakeDiscord } from '../fake-discord/fake-discord.js';
import { CALLBACK, type FakeInteraction, type InteractionResponse } from '../fake-discord/fake-interaction.js';
import type { FakeChannel, FakeGuild, FakeMessage, FakeUser } from '../fake-discord/payloads.js';

export const TOKEN = 'fake-bot-token-0123456789abcdefghij';
export const APP_ID = '424242424242424242';

/** A Scenes picture as a Discord attachment, with its caption (a description of it). */
export async function scenePicture(seed: number, i: number): Promise<{ caption: string; attachment: { filename: string; contentType: string; bytes: Buffer; width: number; height: number } }> {
  const scene = sceneAt(seed, i);
  const png = await encodeImage(await renderScene(scene));
  return { caption: captionOf(scene), attachment: { filename: `scene-${seed}-${i}.png`, contentType: 'image/png', bytes: png.bytes, width: png.width, height: png.height } };
}

/**
 * The unmodified discord.js client of `mirage bot`, logged in to a local Discord-compatible
 * server, with a data folder of its own. `restart` stops the bot and starts a new one on the
 * same data (and the same Discord), as a redeploy would.
 */
export class DiscordWorld {
  bot!: MirageBot;
  readonly interactions: FakeInteraction[] = [];

  private constructor(
    readonly fake: FakeDiscord,
    readonly dataDir: string,
    readonly settings: BotSettings,
    private readonly config: MirageConfigInput,
  ) {}

  static async start(options: { settings?: Partial<BotSettingsInput>; config?: MirageConfigInput; messageContent?: boolean } = {}): Promise<DiscordWorld> {
    const fake = await FakeDiscord.start({ token: TOKEN, applicationId: APP_ID, ...(options.messageContent === false ? { messageContent: false } : {}) });
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mirage-discord-'));
    const settings = loadBotSettings({}, { token: TOKEN, applicationId: APP_ID, apiBase: fake.apiBase, sweepMinutes: 0, ...options.settings });
    return new DiscordWorld(fake, dataDir, settings, options.config ?? {});
  }

  async launch(): Promise<MirageBot> {
    const config = loadConfig({}, { ...this.config, dataDir: this.dataDir });
    this.bot = await startBot(config, this.settings, pino({ level: process.env.MIRAGE_TEST_LOG ?? 'silent' }));
    return this.bot;
  }

  async restart(): Promise<MirageBot> {
    await this.bot.close();
    return this.launch();
  }

  async deploy(guild: FakeGuild): Promise<string[]> {
    return deployCommands(this.settings, guild.id);
  }

  async close(): Promise<void> {
    await this.bot?.close();
    await this.fake.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  archiveName(guild: FakeGuild): string {
    return `discord-${guild.id}`;
  }

  async archiveCount(guild: FakeGuild): Promise<number> {
    return (await this.bot.context.engine.listArchives()).find((m) => m.name === this.archiveName(guild))?.count ?? 0;
  }

  /** Waits until the guild's archive holds `count` images (indexing runs in the background). */
  async untilCount(guild: FakeGuild, count: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen = await this.archiveCount(guild);
    while (seen !== count) {
      if (Date.now() > deadline) throw new Error(`The archive of ${guild.name} holds ${seen} images, not ${count}, after ${timeoutMs} ms.`);
      await new Promise((r) => setTimeout(r, 100));
      seen = await this.archiveCount(guild);
    }
    // The archive commits before the bot records the message: let the indexing finish.
    await this.bot.context.indexing.settle();
  }

  /** A slash command, resolved to its final answer (not the acknowledgement, not a progress notice). */
  async command(user: FakeUser, channel: FakeChannel, name: string, options: readonly Record<string, unknown>[] = []): Promise<FakeInteraction> {
    const interaction = this.track(this.fake.command(user, channel, name, options));
    await untilFinal(interaction);
    return interaction;
  }

  /** /search, resolved to its final message (the round, or a notice). */
  async search(user: FakeUser, channel: FakeChannel, description: string, options: readonly Record<string, unknown>[] = []): Promise<{ interaction: FakeInteraction; message: FakeMessage }> {
    const interaction = await this.command(user, channel, 'search', [{ type: 3, name: 'description', value: description }, ...options]);
    return { interaction, message: this.fake.replyMessage(interaction) };
  }

  adminChannel(owner: FakeUser, channel: FakeChannel, action: 'add' | 'remove', target: FakeChannel): Promise<FakeInteraction> {
    return this.command(owner, channel, 'mirage-admin', [{ type: 2, name: 'channels', options: [{ type: 1, name: action, options: [{ type: 7, name: 'channel', value: target.id }] }] }]);
  }

  track(interaction: FakeInteraction): FakeInteraction {
    this.interactions.push(interaction);
    return interaction;
  }
}

/** What the bot shows while work runs; everything else is a final answer. */
const PROGRESS = /^(Queued|Drawing what you described|Reading the drawing|Searching the archive|Backfilling)/;

/**
 * The final answer to an interaction: the first response that is neither the bare
 * acknowledgement (a deferral) nor a progress notice. Waiting for it, not for a quiet moment,
 * keeps tests independent of how fast the machine is.
 */
export async function untilFinal(interaction: FakeInteraction, timeoutMs = 60_000): Promise<InteractionResponse> {
  return interaction.next(
    (r) => {
      if (r.kind === 'callback') return r.type !== CALLBACK.deferReply && r.type !== CALLBACK.deferUpdate;
      return !PROGRESS.test(messageText(r.body));
    },
    timeoutMs,
    'a final answer',
  );
}

/** The custom id of a control on a message, by its action ("refine", "found", ...). */
export function control(message: FakeMessage, action: string): string {
  const ids: string[] = [];
  const walk = (c: unknown) => {
    if (typeof c !== 'object' || c === null) return;
    const o = c as Record<string, unknown>;
    if (typeof o.custom_id === 'string') ids.push(o.custom_id);
    for (const child of (o.components as unknown[]) ?? []) walk(child);
  };
  for (const c of message.components ?? []) walk(c);
  const id = ids.find((x) => x.startsWith(`m:${action}:`));
  if (!id) throw new Error(`Message ${message.id} has no ${action} control (it has ${ids.join(', ') || 'none'}).`);
  return id;
}

/** All text of a bot message. */
export function messageText(message: FakeMessage | Record<string, unknown> | undefined): string {
  const out: string[] = [];
  const walk = (c: unknown) => {
    if (typeof c !== 'object' || c === null) return;
    const o = c as Record<string, unknown>;
    if (typeof o.content === 'string') out.push(o.content);
    for (const child of (o.components as unknown[]) ?? []) walk(child);
  };
  walk({ components: (message as { components?: unknown[] } | undefined)?.components ?? [] });
  return out.join('\n');
}

/** The messages the hits of a round message jump to, best first. */
export function hitMessageIds(message: FakeMessage): string[] {
  return [...messageText(message).matchAll(/`#\d+` in <#\d+> · \[original message\]\(https:\/\/discord\.com\/channels\/\d+\/\d+\/(\d+)\)/g)].map((m) => m[1] as string);
}

/** The guilds the hits of a round message come from. */
export function hitGuildIds(message: FakeMessage): string[] {
  return [...messageText(message).matchAll(/https:\/\/discord\.com\/channels\/(\d+)\/\d+\/\d+/g)].map((m) => m[1] as string);
}
