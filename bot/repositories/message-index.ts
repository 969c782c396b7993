import { z } from 'zod';
import type { DocumentStore } from '../../core/ports/document-store.js';

const indexedMessageSchema = z.object({
  channel: z.string(),
  author: z.string(),
  /** Attachment ids whose images were handed to the archive (as "d-<attachment id>"). */
  attachments: z.array(z.string()),
  at: z.string(),
});
export type IndexedMessage = z.infer<typeof indexedMessageSchema>;

/** The archive id of an attachment's image: deletions need no lookup in the archive. */
export const imageIdOf = (attachmentId: string): string => `d-${attachmentId}`;

const key = (guildId: string, messageId: string) => `${guildId}.${messageId}`;

/**
 * Which messages put which images into a guild's archive, so that a deleted message (even one
 * no longer cached, known only by its id), a removed channel or a member who asks to be
 * forgotten can be turned into image ids to remove.
 */
export class MessageIndex {
  constructor(private readonly store: DocumentStore) {}

  async get(guildId: string, messageId: string): Promise<IndexedMessage | undefined> {
    const stored = await this.store.get(key(guildId, messageId));
    return stored === undefined ? undefined : indexedMessageSchema.parse(stored);
  }

  put(guildId: string, messageId: string, message: IndexedMessage): Promise<void> {
    return this.store.put(key(guildId, messageId), message);
  }

  delete(guildId: string, messageId: string): Promise<void> {
    return this.store.delete(key(guildId, messageId));
  }

  /** Every indexed message of a guild, optionally only those a test keeps. */
  async list(guildId: string, keep: (m: IndexedMessage) => boolean = () => true): Promise<{ id: string; message: IndexedMessage }[]> {
    const out: { id: string; message: IndexedMessage }[] = [];
    for (const k of await this.store.keys(`${guildId}.`)) {
      const message = await this.get(guildId, k.slice(guildId.length + 1));
      if (message && keep(message)) out.push({ id: k.slice(guildId.length + 1), message });
    }
    return out.sort((a, b) => compareIds(a.id, b.id));
  }
}

/** Discord ids grow with time; compare them as numbers, not strings. */
export const compareIds = (a: string, b: string): number => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
