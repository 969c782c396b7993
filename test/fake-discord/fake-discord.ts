import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CALLBACK, FakeInteraction, type UploadedFile } from './fake-interaction.js';
import {
  attachmentObject,
  channelObject,
  EVERYDAY,
  guildCreateObject,
  memberObject,
  memberPermissions,
  messageObject,
  userObject,
  type FakeAttachment,
  type FakeChannel,
  type FakeGuild,
  type FakeMember,
  type FakeMessage,
  type FakeOverwrite,
  type FakeRole,
  type FakeUser,
} from './payloads.js';

export interface FakeDiscordOptions {
  readonly token: string;
  readonly applicationId: string;
  /** Whether the application may use the privileged Message Content intent (default true). */
  readonly messageContent?: boolean;
}

export interface GuildSpec {
  readonly name: string;
  readonly owner: FakeUser;
  readonly roles?: readonly { name: string; permissions?: bigint }[];
  /** Channels by name; overwrites name roles by their name ("@everyone" for the guild). */
  readonly channels: readonly { name: string; nsfw?: boolean; hiddenFromEveryoneExcept?: readonly string[] }[];
  readonly members: readonly { user: FakeUser; roles?: readonly string[] }[];
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly at: number;
}

/** Gateway intents the fake checks. */
const INTENT_MESSAGE_CONTENT = 1 << 15;
const APP_FLAG_MESSAGE_CONTENT = 1 << 19;

let counter = BigInt(Date.now()) << 22n;
/** Snowflake-like ids that increase, as Discord's do (newer messages have larger ids). */
export const snowflake = (): string => (++counter).toString();

/**
 * A Discord-compatible server for tests: the REST API routes discord.js uses and a gateway
 * WebSocket, on 127.0.0.1. It holds guilds, channels, members, roles and messages, sends the bot
 * gateway events (messages posted, edited and deleted, interactions) and records every answer.
 * Only what Mirage's bot needs is implemented; anything else is a 404 the test will see.
 */
export class FakeDiscord {
  readonly guilds = new Map<string, FakeGuild>();
  readonly messages = new Map<string, FakeMessage>();
  readonly commands = { global: [] as Record<string, unknown>[], guild: new Map<string, Record<string, unknown>[]>() };
  readonly requests: RecordedRequest[] = [];
  readonly botUser: FakeUser;
  private readonly interactions = new Map<string, FakeInteraction>();
  private readonly sockets = new Set<WebSocket>();
  private readonly identified = new Set<WebSocket>();
  private sequence = 0;
  private identifiedIntents = 0;
  private readyWaiters: (() => void)[] = [];
  /** Channels whose message history fetches fail (to test the reconciliation sweep's caution). */
  readonly failingChannels = new Set<string>();

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    readonly baseUrl: string,
    private readonly options: FakeDiscordOptions,
  ) {
    this.botUser = { id: options.applicationId, username: 'Mirage', bot: true };
  }

  static async start(options: FakeDiscordOptions): Promise<FakeDiscord> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http, path: '/gateway' });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    const fake = new FakeDiscord(http, wss, `http://127.0.0.1:${port}`, options);
    http.on('request', (req, res) => {
      fake.handle(req, res).catch((e: unknown) => fake.send(res, 500, { message: e instanceof Error ? e.message : String(e), code: 0 }));
    });
    wss.on('connection', (socket) => fake.onConnection(socket));
    return fake;
  }

  /** What DISCORD_API_BASE points at. */
  get apiBase(): string {
    return `${this.baseUrl}/api`;
  }

  get intents(): number {
    return this.identifiedIntents;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Resolves once a bot has identified and received its guilds. */
  whenReady(): Promise<void> {
    if (this.identified.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  user(username: string): FakeUser {
    return { id: snowflake(), username };
  }

  addGuild(spec: GuildSpec): FakeGuild {
    const id = snowflake();
    const roles: FakeRole[] = [
      { id, name: '@everyone', permissions: EVERYDAY, position: 0 },
      ...(spec.roles ?? []).map((r, i) => ({ id: snowflake(), name: r.name, permissions: r.permissions ?? 0n, position: i + 1 })),
    ];
    const roleId = (name: string) => {
      const role = roles.find((r) => r.name === name);
      if (!role) throw new Error(`Guild ${spec.name} has no role ${name}.`);
      return role.id;
    };
    const channels: FakeChannel[] = spec.channels.map((c) => {
      const overwrites: FakeOverwrite[] = c.hiddenFromEveryoneExcept
        ? [
            { id, type: 'role', allow: 0n, deny: EVERYDAY },
            ...c.hiddenFromEveryoneExcept.map((name) => ({ id: roleId(name), type: 'role' as const, allow: EVERYDAY, deny: 0n })),
          ]
        : [];
      return { id: snowflake(), guildId: id, name: c.name, nsfw: c.nsfw ?? false, overwrites };
    });
    const members: FakeMember[] = [
      { user: spec.owner, roles: [] },
      ...spec.members.map((m) => ({ user: m.user, roles: (m.roles ?? []).map(roleId) })),
      { user: this.botUser, roles: [] },
    ];
    // The bot may read every channel, as an admin who indexes it would make sure.
    for (const channel of channels) {
      if (channel.overwrites.length > 0) channel.overwrites.push({ id: this.botUser.id, type: 'member', allow: EVERYDAY, deny: 0n });
    }
    const guild: FakeGuild = { id, name: spec.name, ownerId: spec.owner.id, roles, channels, members };
    this.guilds.set(id, guild);
    if (this.identified.size > 0) this.dispatch('GUILD_CREATE', guildCreateObject(guild));
    return guild;
  }

  channel(guild: FakeGuild, name: string): FakeChannel {
    const channel = guild.channels.find((c) => c.name === name);
    if (!channel) throw new Error(`Guild ${guild.name} has no channel #${name}.`);
    return channel;
  }

  // ---- what members do ---------------------------------------------------------------------

  postMessage(channel: FakeChannel, author: FakeUser, content: { text?: string; attachments?: readonly Omit<FakeAttachment, 'id'>[] }): FakeMessage {
    const message: FakeMessage = {
      id: snowflake(),
      channelId: channel.id,
      guildId: channel.guildId,
      author,
      content: content.text ?? '',
      attachments: (content.attachments ?? []).map((a) => ({ ...a, id: snowflake() })),
      timestamp: new Date().toISOString(),
    };
    this.messages.set(message.id, message);
    this.dispatch('MESSAGE_CREATE', this.messageForBot(message));
    return message;
  }

  /** Edits a message to keep only some of its attachments. */
  keepAttachments(message: FakeMessage, keep: (a: FakeAttachment) => boolean): void {
    message.attachments = message.attachments.filter(keep);
    this.dispatch('MESSAGE_UPDATE', { ...this.messageForBot(message), edited_timestamp: new Date().toISOString() });
  }

  deleteMessage(message: FakeMessage): void {
    this.messages.delete(message.id);
    this.dispatch('MESSAGE_DELETE', { id: message.id, channel_id: message.channelId, guild_id: message.guildId });
  }

  /** Removes a message without telling the bot (it was down), for the reconciliation sweep. */
  deleteMessageSilently(message: FakeMessage): void {
    this.messages.delete(message.id);
  }

  deleteMessages(channel: FakeChannel, messages: readonly FakeMessage[]): void {
    for (const m of messages) this.messages.delete(m.id);
    this.dispatch('MESSAGE_DELETE_BULK', { ids: messages.map((m) => m.id), channel_id: channel.id, guild_id: channel.guildId });
  }

  deleteChannel(channel: FakeChannel): void {
    const guild = this.guilds.get(channel.guildId) as FakeGuild;
    guild.channels.splice(guild.channels.indexOf(channel), 1);
    this.dispatch('CHANNEL_DELETE', channelObject(channel));
  }

  /** The bot is kicked (or leaves): GUILD_DELETE without "unavailable". */
  removeBot(guild: FakeGuild): void {
    this.guilds.delete(guild.id);
    this.dispatch('GUILD_DELETE', { id: guild.id });
  }

  /** A Discord outage of the guild: GUILD_DELETE with unavailable set. */
  guildOutage(guild: FakeGuild): void {
    this.dispatch('GUILD_DELETE', { id: guild.id, unavailable: true });
  }

  // ---- interactions --------------------------------------------------------------------------

  /** A slash command; `options` as Discord sends them (subcommands nest their own options). */
  command(user: FakeUser, channel: FakeChannel, name: string, options: readonly Record<string, unknown>[] = [], extra: Record<string, unknown> = {}): FakeInteraction {
    const registered = [...this.commands.global, ...(this.commands.guild.get(channel.guildId) ?? [])].find((c) => c.name === name);
    if (!registered) throw new Error(`The bot registered no command /${name}.`);
    return this.interact(2, user, channel, undefined, { id: registered.id, name, type: 1, options, ...this.resolvedOptions(options) }, extra);
  }

  /** Discord sends the channels that options name as resolved objects; discord.js reads them there. */
  private resolvedOptions(options: readonly Record<string, unknown>[]): { resolved?: { channels: Record<string, unknown> } } {
    const channels: Record<string, unknown> = {};
    const walk = (list: readonly Record<string, unknown>[]) => {
      for (const o of list) {
        if (o.type === 7) {
          const channel = this.channelById(String(o.value));
          channels[channel.id] = { id: channel.id, name: channel.name, type: 0, nsfw: channel.nsfw, permissions: EVERYDAY.toString(), parent_id: null };
        }
        if (Array.isArray(o.options)) walk(o.options as Record<string, unknown>[]);
      }
    };
    walk(options);
    return Object.keys(channels).length > 0 ? { resolved: { channels } } : {};
  }

  autocomplete(user: FakeUser, channel: FakeChannel, name: string, options: readonly Record<string, unknown>[]): FakeInteraction {
    const registered = [...this.commands.global, ...(this.commands.guild.get(channel.guildId) ?? [])].find((c) => c.name === name);
    if (!registered) throw new Error(`The bot registered no command /${name}.`);
    return this.interact(4, user, channel, undefined, { id: registered.id, name, type: 1, options });
  }

  /** A button on a message the bot sent (found by its custom id). */
  click(user: FakeUser, message: FakeMessage, customId: string): FakeInteraction {
    this.requireComponent(message, customId);
    return this.interact(3, user, this.channelOf(message), message, { custom_id: customId, component_type: 2 });
  }

  select(user: FakeUser, message: FakeMessage, customId: string, values: readonly string[]): FakeInteraction {
    this.requireComponent(message, customId);
    return this.interact(3, user, this.channelOf(message), message, { custom_id: customId, component_type: 3, values });
  }

  /** Submits the modal an interaction answered with, filling its text inputs by custom id. */
  submitModal(user: FakeUser, shownBy: FakeInteraction, values: Readonly<Record<string, string>>): FakeInteraction {
    const modal = shownBy.callback;
    if (modal?.type !== CALLBACK.modal || !modal.data) throw new Error(`Interaction ${shownBy.id} showed no modal.`);
    const fill = (component: Record<string, unknown>): Record<string, unknown> => {
      if (Array.isArray(component.components)) return { type: component.type, components: (component.components as Record<string, unknown>[]).map(fill) };
      if (component.component) return { type: component.type, component: fill(component.component as Record<string, unknown>) };
      const id = component.custom_id as string;
      return { type: component.type, custom_id: id, value: values[id] ?? (component.value as string | undefined) ?? '' };
    };
    const source = shownBy.sourceMessageId ? this.messages.get(shownBy.sourceMessageId) : undefined;
    const channel = source ? this.channelOf(source) : this.channelById(this.channelOfInteraction.get(shownBy.id) as string);
    return this.interact(5, user, channel, source, {
      custom_id: modal.data.custom_id,
      components: (modal.data.components as Record<string, unknown>[]).map(fill),
    });
  }

  /** The message the bot's responses to an interaction currently make up. */
  replyMessage(interaction: FakeInteraction): FakeMessage {
    const id = this.originals.get(interaction.token);
    const message = id ? this.messages.get(id) : undefined;
    if (!message) throw new Error(`Interaction ${interaction.id} has no reply message yet.`);
    return message;
  }

  // ---- internals -----------------------------------------------------------------------------

  /** Interaction token -> the message its "@original" edits. */
  private readonly originals = new Map<string, string>();
  private readonly channelOfInteraction = new Map<string, string>();

  private interact(
    type: number,
    user: FakeUser,
    channel: FakeChannel,
    message: FakeMessage | undefined,
    data: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): FakeInteraction {
    const guild = this.guilds.get(channel.guildId) as FakeGuild;
    const member = guild.members.find((m) => m.user.id === user.id);
    if (!member) throw new Error(`${user.username} is not a member of ${guild.name}.`);
    const id = snowflake();
    const token = `itoken-${randomBytes(12).toString('hex')}`;
    const interaction = new FakeInteraction(id, token, type, user.id, message?.id, Date.now());
    this.interactions.set(token, interaction);
    this.channelOfInteraction.set(id, channel.id);
    if (message) this.originals.set(token, message.id);
    const permissions = memberPermissions(guild, member, channel).toString();
    this.dispatch('INTERACTION_CREATE', {
      id,
      application_id: this.options.applicationId,
      type,
      token,
      version: 1,
      guild_id: guild.id,
      channel_id: channel.id,
      channel: { ...channelObject(channel), permissions },
      member: memberObject(member, { permissions }),
      data,
      ...(message ? { message: messageObject(message, this.baseUrl) } : {}),
      app_permissions: memberPermissions(guild, guild.members.find((m) => m.user.id === this.botUser.id) as FakeMember, channel).toString(),
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
      ...extra,
    });
    return interaction;
  }

  private requireComponent(message: FakeMessage, customId: string): void {
    const ids: string[] = [];
    const walk = (c: unknown) => {
      if (typeof c !== 'object' || c === null) return;
      const o = c as Record<string, unknown>;
      if (typeof o.custom_id === 'string') ids.push(o.custom_id);
      for (const child of [...((o.components as unknown[]) ?? []), ...(o.accessory ? [o.accessory] : []), ...(o.component ? [o.component] : [])]) walk(child);
    };
    for (const c of message.components ?? []) walk(c);
    if (!ids.includes(customId)) throw new Error(`Message ${message.id} has no component "${customId}" (it has: ${ids.join(', ') || 'none'}).`);
  }

  private channelOf(message: FakeMessage): FakeChannel {
    return this.channelById(message.channelId);
  }

  private channelById(id: string): FakeChannel {
    for (const guild of this.guilds.values()) {
      const channel = guild.channels.find((c) => c.id === id);
      if (channel) return channel;
    }
    throw new Error(`No channel ${id}.`);
  }

  /** Without the Message Content intent, Discord leaves out content and attachments. */
  private messageForBot(message: FakeMessage): Record<string, unknown> {
    const guild = message.guildId ? this.guilds.get(message.guildId) : undefined;
    const member = guild?.members.find((m) => m.user.id === message.author.id);
    const payload = messageObject(message, this.baseUrl, member);
    const allowed = (this.identifiedIntents & INTENT_MESSAGE_CONTENT) !== 0;
    return allowed ? payload : { ...payload, content: '', attachments: [] };
  }

  dispatch(t: string, d: unknown): void {
    const s = ++this.sequence;
    const packet = JSON.stringify({ op: 0, t, s, d });
    for (const socket of this.identified) socket.send(packet);
  }

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.identified.delete(socket);
    });
    socket.on('message', (raw) => {
      const packet = JSON.parse(raw.toString()) as { op: number; d: Record<string, unknown> };
      if (packet.op === 1) socket.send(JSON.stringify({ op: 11 }));
      else if (packet.op === 2) this.identify(socket, packet.d);
      else if (packet.op === 6) socket.send(JSON.stringify({ op: 9, d: false }));
    });
  }

  private identify(socket: WebSocket, d: Record<string, unknown>): void {
    if (d.token !== this.options.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const intents = Number(d.intents);
    if ((intents & INTENT_MESSAGE_CONTENT) !== 0 && this.options.messageContent === false) {
      socket.close(4014, 'Disallowed intent(s).');
      return;
    }
    this.identifiedIntents = intents;
    this.identified.add(socket);
    this.dispatch('READY', {
      v: 10,
      user: { ...userObject(this.botUser), bot: true, verified: true, flags: 0, mfa_enabled: false },
      guilds: [...this.guilds.keys()].map((id) => ({ id, unavailable: true })),
      session_id: randomBytes(8).toString('hex'),
      resume_gateway_url: this.baseUrl.replace('http', 'ws') + '/gateway',
      shard: [0, 1],
      application: { id: this.options.applicationId, flags: this.applicationFlags() },
    });
    for (const guild of this.guilds.values()) this.dispatch('GUILD_CREATE', guildCreateObject(guild));
    for (const waiter of this.readyWaiters.splice(0)) waiter();
  }

  private applicationFlags(): number {
    return this.options.messageContent === false ? 0 : APP_FLAG_MESSAGE_CONTENT;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, at: Date.now() });
    const attachment = /^\/attachments\/(\d+)\/(\d+)\//.exec(url.pathname);
    if (attachment && req.method === 'GET') return this.serveAttachment(res, attachment[2] as string);
    const match = /^\/api\/v10(\/.*)$/.exec(url.pathname);
    if (!match) return this.send(res, 404, { message: '404: Not Found', code: 0 });
    const path = decodeURIComponent(match[1] as string);
    const body = await readBody(req);
    const route = `${req.method} ${path}`;
    const app = this.options.applicationId;

    // Interaction responses authenticate with the interaction token, not the bot token.
    let m = /^POST \/interactions\/(\d+)\/([\w-]+)\/callback$/.exec(route);
    if (m) return this.interactionCallback(res, m[2] as string, body);
    m = new RegExp(`^(PATCH|GET|DELETE) /webhooks/${app}/([\\w-]+)/messages/(@original|\\d+)$`).exec(route);
    if (m) return this.webhookMessage(res, m[1] as string, m[2] as string, m[3] as string, body);
    m = new RegExp(`^POST /webhooks/${app}/([\\w-]+)$`).exec(route);
    if (m) return this.followUp(res, m[1] as string, body);

    if (req.headers.authorization !== `Bot ${this.options.token}`) return this.send(res, 401, { message: '401: Unauthorized', code: 0 });
    if (route === 'GET /gateway/bot') {
      return this.send(res, 200, {
        url: this.baseUrl.replace('http', 'ws') + '/gateway',
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (route === 'GET /applications/@me') {
      return this.send(res, 200, { id: app, name: 'Mirage', description: '', icon: null, bot_public: true, bot_require_code_grant: false, flags: this.applicationFlags() });
    }
    if (route === 'GET /users/@me') return this.send(res, 200, userObject(this.botUser));
    m = new RegExp(`^(PUT|GET) /applications/${app}/commands$`).exec(route);
    if (m) return this.commandList(res, m[1] as string, this.commands.global, body, (list) => (this.commands.global = list));
    m = new RegExp(`^(PUT|GET) /applications/${app}/guilds/(\\d+)/commands$`).exec(route);
    if (m) {
      const guildId = m[2] as string;
      return this.commandList(res, m[1] as string, this.commands.guild.get(guildId) ?? [], body, (list) => this.commands.guild.set(guildId, list));
    }
    m = /^GET \/channels\/(\d+)\/messages\/(\d+)$/.exec(route);
    if (m) {
      if (this.failingChannels.has(m[1] as string)) return this.send(res, 500, { message: 'Internal Server Error', code: 0 });
      const message = this.messages.get(m[2] as string);
      if (!message || message.channelId !== m[1]) return this.send(res, 404, { message: 'Unknown Message', code: 10008 });
      return this.send(res, 200, this.messageForBot(message));
    }
    m = /^GET \/channels\/(\d+)\/messages$/.exec(route);
    if (m) return this.history(res, m[1] as string, url.searchParams);
    m = /^GET \/guilds\/(\d+)\/members\/(\d+)$/.exec(route);
    if (m) {
      const member = this.guilds.get(m[1] as string)?.members.find((x) => x.user.id === m?.[2]);
      return member ? this.send(res, 200, memberObject(member)) : this.send(res, 404, { message: 'Unknown Member', code: 10007 });
    }
    return this.send(res, 404, { message: `404: the fake Discord does not implement ${route}`, code: 0 });
  }

  private commandList(res: ServerResponse, method: string, current: Record<string, unknown>[], body: ParsedBody, set: (list: Record<string, unknown>[]) => void): void {
    if (method === 'GET') return this.send(res, 200, current);
    const list = (body.json as Record<string, unknown>[]).map((c) => ({ ...c, id: snowflake(), application_id: this.options.applicationId, version: snowflake() }));
    set(list);
    this.send(res, 200, list);
  }

  private history(res: ServerResponse, channelId: string, query: URLSearchParams): void {
    if (this.failingChannels.has(channelId)) return this.send(res, 500, { message: 'Internal Server Error', code: 0 });
    const limit = Math.min(100, Number(query.get('limit') ?? 50));
    const before = query.get('before');
    const list = [...this.messages.values()]
      .filter((m) => m.channelId === channelId && m.interactionId === undefined && (before === null || BigInt(m.id) < BigInt(before)))
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
      .slice(0, limit);
    this.send(res, 200, list.map((m) => this.messageForBot(m)));
  }

  private serveAttachment(res: ServerResponse, attachmentId: string): void {
    for (const message of this.messages.values()) {
      const found = message.attachments.find((a) => a.id === attachmentId);
      if (found) {
        res.writeHead(200, { 'content-type': found.contentType, 'content-length': found.bytes.byteLength });
        res.end(found.bytes);
        return;
      }
    }
    this.send(res, 404, { message: 'Not Found', code: 0 });
  }

  private interactionCallback(res: ServerResponse, token: string, body: ParsedBody): void {
    const interaction = this.interactions.get(token);
    if (!interaction) return this.send(res, 404, { message: 'Unknown interaction', code: 10062 });
    if (interaction.callback) return this.send(res, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    const { type, data } = body.json as { type: number; data?: Record<string, unknown> };
    interaction.record({ kind: 'callback', type, data, files: body.files, at: Date.now() });
    if (type === CALLBACK.reply || type === CALLBACK.deferReply) {
      const message = this.botMessage(interaction, data ?? {}, body.files, type === CALLBACK.deferReply);
      this.originals.set(token, message.id);
    } else if (type === CALLBACK.update && data) {
      const target = this.messages.get(this.originals.get(token) as string);
      if (target) this.applyEdit(target, data, body.files);
    }
    res.writeHead(204);
    res.end();
  }

  private webhookMessage(res: ServerResponse, method: string, token: string, which: string, body: ParsedBody): void {
    const interaction = this.interactions.get(token);
    if (!interaction) return this.send(res, 404, { message: 'Unknown Webhook', code: 10015 });
    const id = which === '@original' ? this.originals.get(token) : which;
    const message = id ? this.messages.get(id) : undefined;
    if (!message) return this.send(res, 404, { message: 'Unknown Message', code: 10008 });
    if (method === 'GET') return this.send(res, 200, messageObject(message, this.baseUrl));
    if (method === 'DELETE') {
      this.messages.delete(message.id);
      res.writeHead(204);
      res.end();
      return;
    }
    const data = body.json as Record<string, unknown>;
    interaction.record({ kind: 'edit', body: data, files: body.files, at: Date.now() });
    this.applyEdit(message, data, body.files);
    this.send(res, 200, messageObject(message, this.baseUrl));
  }

  private followUp(res: ServerResponse, token: string, body: ParsedBody): void {
    const interaction = this.interactions.get(token);
    if (!interaction) return this.send(res, 404, { message: 'Unknown Webhook', code: 10015 });
    const data = body.json as Record<string, unknown>;
    const message = this.botMessage(interaction, data, body.files, false);
    interaction.record({ kind: 'followup', body: data, files: body.files, messageId: message.id, at: Date.now() });
    this.send(res, 200, messageObject(message, this.baseUrl));
  }

  private botMessage(interaction: FakeInteraction, data: Record<string, unknown>, files: readonly UploadedFile[], deferred: boolean): FakeMessage {
    const message: FakeMessage = {
      id: snowflake(),
      channelId: this.channelOfInteraction.get(interaction.id) as string,
      author: this.botUser,
      content: deferred ? '' : String(data.content ?? ''),
      attachments: [],
      timestamp: new Date().toISOString(),
      components: [],
      flags: Number(data.flags ?? 0),
      interactionId: interaction.id,
    };
    if (!deferred) this.applyEdit(message, data, files);
    this.messages.set(message.id, message);
    return message;
  }

  /** An edit as Discord applies it: listed attachments stay, uploaded files are added. */
  private applyEdit(message: FakeMessage, data: Record<string, unknown>, files: readonly UploadedFile[]): void {
    if ('content' in data) message.content = String(data.content ?? '');
    if ('components' in data) message.components = (data.components as unknown[]) ?? [];
    if ('flags' in data && data.flags !== undefined) message.flags = Number(data.flags) | ((message.flags ?? 0) & 64);
    const listed = data.attachments as { id: string | number; filename?: string }[] | undefined;
    const uploaded = files.map((f) => ({ id: snowflake(), filename: f.name, contentType: f.contentType, bytes: f.bytes }));
    if (listed === undefined) {
      message.attachments = [...message.attachments, ...uploaded];
      return;
    }
    message.attachments = listed.flatMap((a) => {
      const kept = message.attachments.find((x) => x.id === String(a.id));
      if (kept) return [kept];
      const file = uploaded.find((_, i) => String(i) === String(a.id)) ?? uploaded.find((u) => u.filename === a.filename);
      return file ? [{ ...file, filename: a.filename ?? file.filename }] : [];
    });
  }

  /** Attachment objects of a bot message, with bytes, for tests to decode. */
  filesOf(message: FakeMessage): readonly { name: string; bytes: Uint8Array; url: string }[] {
    return message.attachments.map((a) => ({ name: a.filename, bytes: a.bytes, url: attachmentObject(a, this.baseUrl, message.channelId).url }));
  }

  send(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent) return void res.end();
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

interface ParsedBody {
  readonly json: unknown;
  readonly files: UploadedFile[];
}

/** A JSON body, or a multipart one (payload_json and files[n]) as discord.js sends uploads. */
async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://local/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    const files: UploadedFile[] = [];
    let json: unknown = {};
    for (const [name, value] of form.entries()) {
      if (name === 'payload_json') json = JSON.parse(String(value));
      else if (typeof value !== 'string') files.push({ name: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
    }
    return { json, files };
  }
  return { json: raw.length > 0 ? JSON.parse(raw.toString()) : undefined, files: [] };
}
