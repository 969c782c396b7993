import { rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import { KeyedLock } from '../../core/concurrency/keyed-lock.js';
import type { Engine } from '../../core/ports/engine.js';
import type { IngestItem } from '../../core/ports/ingestion.js';
import { BotRefusal } from '../bot-error.js';
import type { GuildRepository } from '../repositories/guild-repository.js';
import { imageIdOf, type MessageIndex } from '../repositories/message-index.js';
import { guildArchiveName } from './access.js';
import { downloadAttachment } from './attachment-download.js';

/** An attachment of a posted message, as Discord describes it. */
export interface PostedAttachment {
  readonly id: string;
  readonly url: string;
  readonly filename: string;
  readonly contentType?: string;
  readonly size: number;
  readonly spoiler: boolean;
}

/** A posted message, as much of it as indexing needs. */
export interface PostedMessage {
  readonly guildId: string;
  readonly channelId: string;
  readonly messageId: string;
  readonly authorId: string;
  readonly authorIsBot: boolean;
  readonly at: Date;
  readonly channelNsfw: boolean;
  readonly attachments: readonly PostedAttachment[];
}

export interface IndexingDependencies {
  readonly engine: Engine;
  readonly guilds: GuildRepository;
  readonly messages: MessageIndex;
  /** Embedder of a guild archive created by the first ingestion. */
  readonly embedder: string;
  readonly maxAttachmentBytes: number;
  readonly attachmentHosts: ReadonlySet<string>;
  /** Where downloads wait for ingestion: on the data folder, so that workers can read them. */
  readonly stagingDir: string;
  readonly log: Logger;
}

type StagedItem = IngestItem & { readonly attachment: string };

interface Waiting {
  readonly message: PostedMessage;
  readonly items: readonly StagedItem[];
  /** Attachments of the message indexed before (an edit adding more). */
  readonly known: readonly string[];
  readonly resolve: (images: number) => void;
  readonly reject: (error: unknown) => void;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.avif', '.tif', '.tiff', '.heic', '.heif', '.bmp']);
/** Messages whose deletion this process saw, so that a download finishing late is not indexed. */
const REMEMBERED_DELETIONS = 10_000;

const isImage = (a: PostedAttachment): boolean =>
  a.contentType !== undefined ? a.contentType.startsWith('image/') : IMAGE_EXTENSIONS.has(extname(a.filename).toLowerCase());

/**
 * Keeps a guild's archive in step with its indexed channels: images posted there are
 * downloaded at once and ingested (through the same hostile-input path as `mirage ingest`, on
 * the workers when REDIS_URL is set), and images whose message, channel or guild went away, or
 * whose author asked to be forgotten, are removed. Changes of one guild's archive run one at a
 * time, in the order they happened.
 */
export class IndexingService {
  private readonly serial = new KeyedLock();
  private readonly deleted = new Set<string>();
  private readonly running = new Set<Promise<unknown>>();
  /** Messages downloaded and waiting for their guild's next ingestion. */
  private readonly waiting = new Map<string, Waiting[]>();

  constructor(private readonly deps: IndexingDependencies) {}

  /** Indexes the images of a message if its channel is indexed; returns the images handed to the archive. */
  indexMessage(message: PostedMessage): Promise<number> {
    const work = this.index(message);
    this.running.add(work);
    void work.finally(() => this.running.delete(work)).catch(() => undefined);
    return work;
  }

  /** Waits for the indexing under way (on shutdown, so downloaded images are not lost). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async index(message: PostedMessage): Promise<number> {
    if (message.authorIsBot) return 0;
    const guild = await this.deps.guilds.get(message.guildId);
    if (!guild.indexedChannels.includes(message.channelId) || (guild.forgottenAuthors ?? []).includes(message.authorId)) return 0;
    const indexed = await this.deps.messages.get(message.guildId, message.messageId);
    const known = indexed?.attachments ?? [];
    const images = message.attachments.filter((a) => !known.includes(a.id) && this.usable(message, a));
    if (images.length === 0) return 0;
    const staged = await Promise.all(images.map((a) => this.stage(message, a)));
    const items = staged.filter((s): s is StagedItem => s !== undefined);
    if (items.length === 0) return 0;
    return new Promise<number>((resolve, reject) => {
      const queue = this.waiting.get(message.guildId) ?? [];
      queue.push({ message, items, known, resolve, reject });
      this.waiting.set(message.guildId, queue);
      void this.serial.run(message.guildId, () => this.flush(message.guildId)).catch(() => undefined);
    });
  }

  /**
   * Ingests every message waiting for the guild in one call (one commit of the archive, however
   * many messages arrived meanwhile), then records which attachments each message handed over.
   */
  private async flush(guildId: string): Promise<void> {
    const batch = (this.waiting.get(guildId) ?? []).filter((w) => {
      if (!this.deleted.has(w.message.messageId)) return true;
      w.resolve(0);
      void Promise.all(w.items.map((i) => rm(i.path, { force: true })));
      return false;
    });
    this.waiting.delete(guildId);
    if (batch.length === 0) return;
    const items = batch.flatMap((w) => w.items);
    try {
      const report = await this.deps.engine.ingest({ archive: guildArchiveName(guildId), items, embedder: this.deps.embedder });
      const skipped = new Map(report.skipped.map((s) => [s.source, s.reason]));
      const handedBy = new Map<Waiting, number>();
      for (const w of batch) {
        const handed = w.items.filter((i) => !skipped.has(i.path)).map((i) => i.attachment);
        for (const i of w.items) {
          const reason = skipped.get(i.path);
          if (reason !== undefined) this.deps.log.info({ guild: guildId, message: w.message.messageId, reason }, 'attachment skipped');
        }
        if (handed.length > 0 || w.known.length > 0) {
          await this.deps.messages.put(guildId, w.message.messageId, {
            channel: w.message.channelId,
            author: w.message.authorId,
            attachments: [...w.known, ...handed],
            at: w.message.at.toISOString(),
          });
        }
        handedBy.set(w, handed.length);
      }
      await this.deps.guilds.update(guildId, (g) => {
        const { indexingError: _cleared, ...rest } = g;
        return { ...rest, lastIndexedAt: new Date().toISOString() };
      });
      for (const w of batch) w.resolve(handedBy.get(w) ?? 0);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      await this.deps.guilds.update(guildId, (g) => ({ ...g, indexingError: reason })).catch(() => undefined);
      for (const w of batch) w.reject(e);
    } finally {
      await Promise.all(items.map((i) => rm(i.path, { force: true })));
    }
  }

  /** An edit: attachments it removed leave the archive; ones it added are indexed. */
  async updateMessage(message: PostedMessage): Promise<void> {
    const indexed = await this.deps.messages.get(message.guildId, message.messageId);
    if (indexed) {
      const kept = new Set(message.attachments.map((a) => a.id));
      const gone = indexed.attachments.filter((a) => !kept.has(a));
      if (gone.length > 0) {
        await this.change(message.guildId, gone.map(imageIdOf));
        await this.deps.messages.put(message.guildId, message.messageId, { ...indexed, attachments: indexed.attachments.filter((a) => kept.has(a)) });
      }
    }
    await this.indexMessage(message);
  }

  /** Messages deleted (one, or a bulk deletion): their images leave the archive. */
  async removeMessages(guildId: string, messageIds: readonly string[]): Promise<number> {
    for (const id of messageIds) this.remember(id);
    const images: string[] = [];
    const found: string[] = [];
    for (const id of messageIds) {
      const indexed = await this.deps.messages.get(guildId, id);
      if (!indexed) continue;
      images.push(...indexed.attachments.map(imageIdOf));
      found.push(id);
    }
    if (images.length > 0) await this.change(guildId, images);
    await Promise.all(found.map((id) => this.deps.messages.delete(guildId, id)));
    return images.length;
  }

  /** A channel deleted or no longer indexed: its images leave the archive. */
  async removeChannel(guildId: string, channelId: string): Promise<number> {
    const messages = await this.deps.messages.list(guildId, (m) => m.channel === channelId);
    return this.removeMessages(guildId, messages.map((m) => m.id));
  }

  /** A member asked to be forgotten: every image they posted leaves the archive. */
  async removeAuthor(guildId: string, userId: string): Promise<number> {
    const messages = await this.deps.messages.list(guildId, (m) => m.author === userId);
    return this.removeMessages(guildId, messages.map((m) => m.id));
  }

  /** The bot left the guild: every image leaves the archive and the guild's state goes. */
  async removeGuild(guildId: string): Promise<number> {
    const messages = await this.deps.messages.list(guildId);
    const removed = await this.removeMessages(guildId, messages.map((m) => m.id));
    await this.deps.guilds.delete(guildId);
    return removed;
  }

  /** How many images of the guild's archive a member posted. */
  async countByAuthor(guildId: string, userId: string): Promise<number> {
    const messages = await this.deps.messages.list(guildId, (m) => m.author === userId);
    return messages.reduce((n, m) => n + m.message.attachments.length, 0);
  }

  private usable(message: PostedMessage, a: PostedAttachment): boolean {
    if (!isImage(a)) return false;
    if (a.size > this.deps.maxAttachmentBytes) {
      this.deps.log.info({ guild: message.guildId, message: message.messageId, bytes: a.size }, 'attachment skipped: over the size limit');
      return false;
    }
    return true;
  }

  private async stage(message: PostedMessage, a: PostedAttachment): Promise<StagedItem | undefined> {
    const path = join(this.deps.stagingDir, message.guildId, `${a.id}${extname(a.filename).toLowerCase().replace(/[^.a-z0-9]/g, '')}`);
    try {
      await downloadAttachment(a.url, path, this.deps.maxAttachmentBytes, this.deps.attachmentHosts);
    } catch (e) {
      if (!(e instanceof BotRefusal) && !(e instanceof Error && (e.name === 'TimeoutError' || e.name === 'TypeError'))) throw e;
      this.deps.log.info({ guild: message.guildId, message: message.messageId, reason: e.message }, 'attachment skipped');
      return undefined;
    }
    return {
      path,
      id: imageIdOf(a.id),
      attachment: a.id,
      attributes: {
        guild: message.guildId,
        channel: message.channelId,
        message: message.messageId,
        attachment: a.id,
        author: message.authorId,
        at: message.at.toISOString(),
        nsfw: message.channelNsfw ? '1' : '0',
        spoiler: a.spoiler ? '1' : '0',
      },
    };
  }

  /** Removes images from the guild's archive, after any change of it still running. */
  private change(guildId: string, imageIds: readonly string[]): Promise<void> {
    return this.serial.run(guildId, async () => {
      const archive = guildArchiveName(guildId);
      if (!(await this.deps.engine.listArchives()).some((m) => m.name === archive)) return;
      await this.deps.engine.removeImages(archive, imageIds);
    });
  }

  private remember(messageId: string): void {
    this.deleted.add(messageId);
    if (this.deleted.size > REMEMBERED_DELETIONS) this.deleted.delete(this.deleted.values().next().value as string);
  }
}
