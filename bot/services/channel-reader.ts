import type { PostedMessage } from './indexing-service.js';

/** Whether a message Mirage indexed is still there; 'unknown' when Discord could not say. */
export type MessageState = 'present' | 'gone' | 'unknown';

/** Reading a guild's channels through Discord, as backfills and the reconciliation sweep need. */
export interface ChannelReader {
  /** Up to `limit` (at most 100) messages older than `before`, newest first; [] at the start of the channel. */
  page(guildId: string, channelId: string, limit: number, before?: string): Promise<PostedMessage[]>;
  exists(guildId: string, channelId: string, messageId: string): Promise<MessageState>;
}
