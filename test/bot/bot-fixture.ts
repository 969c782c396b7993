import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Asker, TextModal } from '../../bot/asker.js';
import type { BotContext } from '../../bot/bot-context.js';
import { loadBotSettings, type BotSettingsInput } from '../../bot/bot-settings.js';
import type { MemberView } from '../../bot/member-view.js';
import { GuildRepository } from '../../bot/repositories/guild-repository.js';
import { MessageIndex } from '../../bot/repositories/message-index.js';
import { SearchRepository } from '../../bot/repositories/search-repository.js';
import { guildArchiveName } from '../../bot/services/access.js';
import { BackfillService } from '../../bot/services/backfill-service.js';
import type { ChannelReader } from '../../bot/services/channel-reader.js';
import { IndexingService } from '../../bot/services/indexing-service.js';
import { RoundLimits } from '../../bot/services/round-limits.js';
import { RoundTracker } from '../../bot/services/round-tracker.js';
import { SearchService } from '../../bot/services/search-service.js';
import type { V2Message } from '../../bot/views/message-payload.js';
import { MemoryDocumentStore } from '../../core/adapters/memory/memory-document-store.js';
import { encodeImage } from '../../core/images/encode.js';
import { stagingFolder } from '../../core/ingest/ingest-access.js';
import type { Engine } from '../../core/ports/engine.js';
import { captionOf } from '../../core/scenes/caption.js';
import { renderScene } from '../../core/scenes/renderer.js';
import { sceneAt } from '../../core/scenes/sampler.js';
import type { Scene } from '../../core/scenes/scene.js';

export const GUILD = '100000000000000001';
export const OTHER_GUILD = '100000000000000002';
export const ALICE = '200000000000000001';
export const BOB = '200000000000000002';
export const PHOTOS = '300000000000000001';
export const SECRET = '300000000000000002';
export const ADULT = '300000000000000003';

/** A posted image of the fixture guild: its scene, caption and where it was posted. */
export interface PostedScene {
  readonly imageId: string;
  readonly channel: string;
  readonly message: string;
  readonly scene: Scene;
  readonly caption: string;
}

/**
 * A guild archive as the bot builds it (images ingested through the engine with their Discord
 * attributes): `perChannel` rendered Scenes images in each of #photos, #secret and #adult.
 */
export async function buildGuildArchive(engine: Engine, dataDir: string, perChannel = 10): Promise<PostedScene[]> {
  const dir = path.join(stagingFolder(dataDir), 'fixture');
  await mkdir(dir, { recursive: true });
  const posted: PostedScene[] = [];
  const channels = [PHOTOS, SECRET, ADULT];
  for (const [c, channel] of channels.entries()) {
    for (let i = 0; i < perChannel; i++) {
      const n = c * perChannel + i;
      const scene = sceneAt(41, n);
      const file = path.join(dir, `${n}.png`);
      await writeFile(file, (await encodeImage(await renderScene(scene))).bytes);
      const message = String(400000000000000000n + BigInt(n));
      const attachment = String(500000000000000000n + BigInt(n));
      posted.push({ imageId: `d-${attachment}`, channel, message, scene, caption: captionOf(scene) });
      await engine.ingest({
        archive: guildArchiveName(GUILD),
        embedder: 'scenes',
        items: [
          {
            path: file,
            id: `d-${attachment}`,
            attributes: { guild: GUILD, channel, message, attachment, author: n % 2 === 0 ? ALICE : BOB, at: new Date(0).toISOString(), nsfw: channel === ADULT ? '1' : '0', spoiler: '0' },
          },
        ],
      });
    }
  }
  return posted;
}

export interface FixtureOptions {
  readonly settings?: Partial<BotSettingsInput>;
  readonly indexing?: { enabled: boolean; reason?: string };
  readonly reader?: ChannelReader;
}

const NO_READER: ChannelReader = {
  page: async () => [],
  exists: async () => 'present',
};

/** A bot's context over an engine, with its state in memory and no Discord. */
export async function botContext(engine: Engine, dataDir: string, options: FixtureOptions = {}): Promise<BotContext> {
  const settings = loadBotSettings({}, { token: 'test-token-0123456789abcdef', applicationId: '999999999999999999', ...options.settings });
  const log = pino({ level: 'silent' });
  const guilds = new GuildRepository(new MemoryDocumentStore());
  const messages = new MessageIndex(new MemoryDocumentStore());
  const limiter = { rateLimiter: (l: { name: string; points: number; windowSeconds: number }) => new RateLimiterMemory({ keyPrefix: l.name, points: l.points, duration: l.windowSeconds }) };
  const search = new SearchService({
    engine,
    searches: new SearchRepository(new MemoryDocumentStore(), new MemoryDocumentStore()),
    limits: new RoundLimits(limiter, settings),
    rounds: new RoundTracker(),
    idleMs: settings.sessionIdleHours * 3_600_000,
    log,
  });
  const indexing = new IndexingService({
    engine,
    guilds,
    messages,
    embedder: 'scenes',
    maxAttachmentBytes: settings.maxAttachmentMb * 1024 * 1024,
    attachmentHosts: new Set(['127.0.0.1']),
    stagingDir: path.join(stagingFolder(dataDir), 'discord'),
    log,
  });
  const backfills = new BackfillService({ guilds, indexing, reader: options.reader ?? NO_READER, log });
  await guilds.update(GUILD, (g) => ({ ...g, indexedChannels: [PHOTOS, SECRET, ADULT] }));
  return { engine, settings, guilds, search, indexing, backfills, indexingStatus: options.indexing ?? { enabled: true }, log };
}

export type AskerCall =
  | { readonly kind: 'defer'; readonly how: 'reply' | 'update' }
  | { readonly kind: 'show'; readonly message: V2Message }
  | { readonly kind: 'tell'; readonly text: string }
  | { readonly kind: 'post'; readonly message: V2Message }
  | { readonly kind: 'modal'; readonly modal: TextModal };

export interface MemberSpec {
  readonly userId?: string;
  readonly guildId?: string;
  readonly channelId?: string;
  /** Channels the member may view (default: #photos only). */
  readonly sees?: readonly string[];
  readonly everyoneSees?: readonly string[];
  readonly inNsfwChannel?: boolean;
  readonly manager?: boolean;
}

/** A narrow stand-in for a Discord interaction: records what a handler says. */
export class FakeAsker implements Asker {
  readonly calls: AskerCall[] = [];
  readonly member: MemberView;
  readonly attachmentLimit: number;

  constructor(spec: MemberSpec = {}, attachmentLimit = 10 * 1024 * 1024) {
    const sees = new Set(spec.sees ?? [PHOTOS]);
    const everyone = new Set(spec.everyoneSees ?? [PHOTOS]);
    this.member = {
      guildId: spec.guildId ?? GUILD,
      userId: spec.userId ?? ALICE,
      channelId: spec.channelId ?? PHOTOS,
      channelNsfw: spec.inNsfwChannel ?? false,
      canView: (id) => sees.has(id),
      everyoneCanView: (id) => everyone.has(id),
      isNsfw: (id) => id === ADULT,
      channelName: (id) => ({ [PHOTOS]: 'photos', [SECRET]: 'secret', [ADULT]: 'adult' })[id],
      canManageGuild: spec.manager ?? false,
    };
    this.attachmentLimit = attachmentLimit;
  }

  async defer(how: 'reply' | 'update'): Promise<void> {
    this.calls.push({ kind: 'defer', how });
  }

  async show(message: V2Message): Promise<void> {
    this.calls.push({ kind: 'show', message });
  }

  async tell(text: string): Promise<void> {
    this.calls.push({ kind: 'tell', text });
  }

  async post(message: V2Message): Promise<void> {
    this.calls.push({ kind: 'post', message });
  }

  async openModal(modal: TextModal): Promise<void> {
    this.calls.push({ kind: 'modal', modal });
  }

  /** The last message shown, as Discord receives it (JSON components). */
  lastShown(): { components: Record<string, unknown>[]; files: string[] } {
    const shown = [...this.calls].reverse().find((c): c is Extract<AskerCall, { kind: 'show' }> => c.kind === 'show');
    if (!shown) throw new Error(`Nothing was shown (calls: ${this.calls.map((c) => c.kind).join(', ')}).`);
    return { components: shown.message.components.map((c) => c.toJSON() as unknown as Record<string, unknown>), files: shown.message.files.map((f) => f.name ?? '') };
  }

  lastTold(): string | undefined {
    return [...this.calls].reverse().find((c): c is Extract<AskerCall, { kind: 'tell' }> => c.kind === 'tell')?.text;
  }
}

/** All text of a Components V2 message, and its custom ids, for assertions. */
export function textOf(components: readonly unknown[]): string {
  const out: string[] = [];
  const walk = (c: unknown) => {
    if (typeof c !== 'object' || c === null) return;
    const o = c as Record<string, unknown>;
    if (typeof o.content === 'string') out.push(o.content);
    for (const child of (o.components as unknown[]) ?? []) walk(child);
  };
  for (const c of components) walk(c);
  return out.join('\n');
}

export function customIdsOf(components: readonly unknown[]): string[] {
  const out: string[] = [];
  const walk = (c: unknown) => {
    if (typeof c !== 'object' || c === null) return;
    const o = c as Record<string, unknown>;
    if (typeof o.custom_id === 'string') out.push(o.custom_id);
    for (const child of (o.components as unknown[]) ?? []) walk(child);
  };
  for (const c of components) walk(c);
  return out;
}

/** The image ids behind the hits of a round message (from their jump links' message ids). */
export function hitMessages(components: readonly unknown[]): string[] {
  return [...textOf(components).matchAll(/channels\/\d+\/\d+\/(\d+)\)/g)].map((m) => m[1] as string);
}

/** The engine with some calls replaced (to inject failures or delays), the rest passed through. */
export function engineWith(engine: Engine, overrides: Partial<Engine>): Engine {
  return new Proxy(engine, {
    get(target, prop, receiver) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof Engine];
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
