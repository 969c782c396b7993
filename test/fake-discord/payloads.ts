/**
 * Discord API objects as the real API sends them (v10 shapes), with only the fields discord.js
 * reads filled in. Permission bitfields are decimal strings, as on the wire.
 */

export const PERMISSIONS = {
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  ManageGuild: 1n << 5n,
  Administrator: 1n << 3n,
} as const;

export const EVERYDAY = PERMISSIONS.ViewChannel | PERMISSIONS.SendMessages | PERMISSIONS.ReadMessageHistory | PERMISSIONS.AttachFiles | PERMISSIONS.EmbedLinks;

export interface FakeUser {
  readonly id: string;
  readonly username: string;
  readonly bot?: boolean;
}

export interface FakeRole {
  readonly id: string;
  readonly name: string;
  readonly permissions: bigint;
  readonly position: number;
}

export interface FakeOverwrite {
  /** A role id (the guild id for @everyone) or a member id. */
  readonly id: string;
  readonly type: 'role' | 'member';
  readonly allow: bigint;
  readonly deny: bigint;
}

export interface FakeChannel {
  readonly id: string;
  readonly guildId: string;
  readonly name: string;
  nsfw: boolean;
  readonly overwrites: FakeOverwrite[];
}

export interface FakeMember {
  readonly user: FakeUser;
  readonly roles: string[];
}

export interface FakeGuild {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  readonly roles: FakeRole[];
  readonly channels: FakeChannel[];
  readonly members: FakeMember[];
}

export interface FakeAttachment {
  readonly id: string;
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  readonly width?: number;
  readonly height?: number;
}

export interface FakeMessage {
  readonly id: string;
  readonly channelId: string;
  readonly guildId?: string;
  readonly author: FakeUser;
  content: string;
  attachments: FakeAttachment[];
  readonly timestamp: string;
  /** Bot messages (interaction replies) keep their raw body. */
  components?: unknown[];
  flags?: number;
  readonly interactionId?: string;
}

export const userObject = (u: FakeUser) => ({
  id: u.id,
  username: u.username,
  discriminator: '0',
  global_name: u.username,
  avatar: null,
  bot: u.bot ?? false,
});

export const memberObject = (m: FakeMember, extra: Record<string, unknown> = {}) => ({
  user: userObject(m.user),
  roles: m.roles,
  nick: null,
  avatar: null,
  joined_at: '2026-01-01T00:00:00.000Z',
  premium_since: null,
  deaf: false,
  mute: false,
  flags: 0,
  pending: false,
  ...extra,
});

export const channelObject = (c: FakeChannel, position = 0) => ({
  id: c.id,
  type: 0,
  guild_id: c.guildId,
  name: c.name,
  position,
  permission_overwrites: c.overwrites.map((o) => ({
    id: o.id,
    type: o.type === 'role' ? 0 : 1,
    allow: o.allow.toString(),
    deny: o.deny.toString(),
  })),
  nsfw: c.nsfw,
  parent_id: null,
  topic: null,
  rate_limit_per_user: 0,
  last_message_id: null,
});

export const roleObject = (r: FakeRole) => ({
  id: r.id,
  name: r.name,
  color: 0,
  colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
  hoist: false,
  icon: null,
  unicode_emoji: null,
  position: r.position,
  permissions: r.permissions.toString(),
  managed: false,
  mentionable: false,
  flags: 0,
});

export const guildObject = (g: FakeGuild) => ({
  id: g.id,
  name: g.name,
  icon: null,
  splash: null,
  discovery_splash: null,
  owner_id: g.ownerId,
  afk_channel_id: null,
  afk_timeout: 300,
  verification_level: 0,
  default_message_notifications: 0,
  explicit_content_filter: 0,
  roles: g.roles.map(roleObject),
  emojis: [],
  features: [],
  mfa_level: 0,
  application_id: null,
  system_channel_id: null,
  system_channel_flags: 0,
  rules_channel_id: null,
  vanity_url_code: null,
  description: null,
  banner: null,
  premium_tier: 0,
  preferred_locale: 'en-US',
  public_updates_channel_id: null,
  nsfw_level: 0,
  stickers: [],
  premium_progress_bar_enabled: false,
  safety_alerts_channel_id: null,
});

export const guildCreateObject = (g: FakeGuild) => ({
  ...guildObject(g),
  joined_at: '2026-01-01T00:00:00.000Z',
  large: false,
  unavailable: false,
  member_count: g.members.length,
  voice_states: [],
  members: g.members.map((m) => memberObject(m)),
  channels: g.channels.map((c, i) => channelObject(c, i)),
  threads: [],
  presences: [],
  stage_instances: [],
  guild_scheduled_events: [],
  soundboard_sounds: [],
});

export const attachmentObject = (a: FakeAttachment, baseUrl: string, channelId: string) => ({
  id: a.id,
  filename: a.filename,
  size: a.bytes.byteLength,
  url: `${baseUrl}/attachments/${channelId}/${a.id}/${a.filename}`,
  proxy_url: `${baseUrl}/attachments/${channelId}/${a.id}/${a.filename}`,
  content_type: a.contentType,
  ...(a.width !== undefined ? { width: a.width, height: a.height } : {}),
});

export const messageObject = (m: FakeMessage, baseUrl: string, member?: FakeMember) => ({
  id: m.id,
  channel_id: m.channelId,
  ...(m.guildId !== undefined ? { guild_id: m.guildId } : {}),
  author: userObject(m.author),
  ...(member ? { member: memberObject(member, { user: undefined }) } : {}),
  content: m.content,
  timestamp: m.timestamp,
  edited_timestamp: null,
  tts: false,
  mention_everyone: false,
  mentions: [],
  mention_roles: [],
  attachments: m.attachments.map((a) => attachmentObject(a, baseUrl, m.channelId)),
  embeds: [],
  pinned: false,
  type: m.interactionId ? 20 : 0,
  flags: m.flags ?? 0,
  components: m.components ?? [],
});

/**
 * What a member may do in a channel, computed as Discord does: @everyone, then the member's
 * roles, then the channel's overwrites for @everyone, the roles and the member. Used for the
 * `permissions` fields of interactions.
 */
export function memberPermissions(guild: FakeGuild, member: FakeMember, channel?: FakeChannel): bigint {
  if (guild.ownerId === member.user.id) return ~0n & ((1n << 53n) - 1n);
  let perms = guild.roles.filter((r) => r.id === guild.id || member.roles.includes(r.id)).reduce((p, r) => p | r.permissions, 0n);
  if ((perms & PERMISSIONS.Administrator) !== 0n) return ~0n & ((1n << 53n) - 1n);
  if (!channel) return perms;
  const apply = (o: FakeOverwrite | undefined) => {
    if (o) perms = (perms & ~o.deny) | o.allow;
  };
  apply(channel.overwrites.find((o) => o.type === 'role' && o.id === guild.id));
  const roleOverwrites = channel.overwrites.filter((o) => o.type === 'role' && member.roles.includes(o.id));
  const deny = roleOverwrites.reduce((d, o) => d | o.deny, 0n);
  const allow = roleOverwrites.reduce((a, o) => a | o.allow, 0n);
  perms = (perms & ~deny) | allow;
  apply(channel.overwrites.find((o) => o.type === 'member' && o.id === member.user.id));
  return perms;
}
