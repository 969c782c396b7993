import { AttachmentBuilder, ContainerBuilder, MessageFlags, type ActionRowBuilder, type MessageActionRowComponentBuilder } from 'discord.js';
import { DISCORD_LIMITS, messageProblems } from '../discord-limits.js';

/** One file sent with a message, referenced from components as attachment://<name>. */
export interface MessageFile {
  readonly name: string;
  readonly bytes: Buffer;
  readonly description?: string;
}

/** A Components V2 message as the bot sends it: what editReply, update and followUp take. */
export interface V2Message {
  readonly components: (ContainerBuilder | ActionRowBuilder<MessageActionRowComponentBuilder>)[];
  readonly files: AttachmentBuilder[];
  readonly flags: number;
}

/**
 * Builds the payload and checks it against Discord's limits first: a view that outgrew them is
 * a bug to see here, with its reason, rather than as an opaque 400 from Discord.
 */
export function v2Message(
  components: V2Message['components'],
  files: readonly MessageFile[] = [],
  attachmentLimit: number = DISCORD_LIMITS.defaultAttachmentBytes,
): V2Message {
  const problems = messageProblems({
    components: components.map((c) => c.toJSON()),
    files: files.map((f) => ({ bytes: f.bytes.byteLength })),
    attachmentLimit,
  });
  if (problems.length > 0) throw new Error(`A message would break Discord's limits: ${problems.join('; ')}.`);
  return {
    components,
    files: files.map((f) => new AttachmentBuilder(f.bytes, { name: f.name, ...(f.description ? { description: f.description } : {}) })),
    flags: MessageFlags.IsComponentsV2,
  };
}

/** A short notice (progress, a refusal, a confirmation) as a one-text container. */
export function notice(text: string): V2Message {
  return v2Message([new ContainerBuilder().addTextDisplayComponents((t) => t.setContent(text))]);
}
