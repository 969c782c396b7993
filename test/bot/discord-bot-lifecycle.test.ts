import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Backfill } from '../../bot/repositories/guild-repository.js';
import { imageIdOf } from '../../bot/repositories/message-index.js';
import { buildTestWorld } from '../engine/test-world.js';
import { CALLBACK } from '../fake-discord/fake-interaction.js';
import type { FakeChannel, FakeGuild, FakeMessage, FakeUser } from '../fake-discord/payloads.js';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../queue/redis-harness.js';
import { WorkerChild } from '../../workers/worker-child.js';
import { control, DiscordWorld, untilFinal, hitMessageIds, messageText, scenePicture } from './discord-world.js';

/** What happens to a guild's archive over time: edits, deletions, backfills, restarts, leaving. */
describe('a guild archive over time', () => {
  let world: DiscordWorld;
  let owner: FakeUser;
  let erin: FakeUser;
  let frank: FakeUser;
  let guild: FakeGuild;
  let art: FakeChannel;
  let memes: FakeChannel;
  let seed = 1000;

  const post = async (channel: FakeChannel, author: FakeUser, pictures = 1): Promise<{ message: FakeMessage; captions: string[] }> => {
    const made = await Promise.all(Array.from({ length: pictures }, () => scenePicture(23, seed++)));
    return { message: world.fake.postMessage(channel, author, { attachments: made.map((m) => m.attachment) }), captions: made.map((m) => m.caption) };
  };

  beforeAll(async () => {
    world = await DiscordWorld.start({ settings: { memberRoundsPerMinute: 200, guildRoundsPerMinute: 1000 } });
    owner = world.fake.user('owner');
    erin = world.fake.user('erin');
    frank = world.fake.user('frank');
    guild = world.fake.addGuild({ name: 'Artists', owner, channels: [{ name: 'art' }, { name: 'memes' }], members: [{ user: erin }, { user: frank }] });
    art = world.fake.channel(guild, 'art');
    memes = world.fake.channel(guild, 'memes');
    await world.deploy(guild);
    await world.launch();
    await world.adminChannel(owner, art, 'add', art);
    await world.adminChannel(owner, art, 'add', memes);
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  it('drops the attachment an edit removes, the messages of a bulk deletion, and a removed or deleted channel', async () => {
    const start = await world.archiveCount(guild);
    const album = await post(art, erin, 3);
    await world.untilCount(guild, start + 3);
    world.fake.keepAttachments(album.message, (a) => a.filename !== album.message.attachments[1]?.filename);
    await world.untilCount(guild, start + 2);

    const bulk = [await post(art, erin), await post(art, frank)];
    await world.untilCount(guild, start + 4);
    world.fake.deleteMessages(art, bulk.map((b) => b.message));
    await world.untilCount(guild, start + 2);

    await post(memes, frank, 2);
    await world.untilCount(guild, start + 4);
    await world.adminChannel(owner, art, 'remove', memes);
    await world.untilCount(guild, start + 2);
    await world.adminChannel(owner, art, 'add', memes);
    await post(memes, frank, 2);
    await world.untilCount(guild, start + 4);
    world.fake.deleteChannel(memes);
    await world.untilCount(guild, start + 2);
    expect((await world.bot.context.guilds.get(guild.id)).indexedChannels).toEqual([art.id]);
  });

  it("backfills a channel's earlier messages, newest first, bounded, and resumes after a restart", async () => {
    const history = world.fake.addGuild({ name: 'History', owner, channels: [{ name: 'old' }], members: [{ user: erin }] });
    const old = world.fake.channel(history, 'old');
    for (let i = 0; i < 12; i++) await post(old, erin);
    await world.deploy(history);
    await world.adminChannel(owner, old, 'add', old);
    expect(await world.archiveCount(history)).toBe(0);

    const backfill = await world.command(owner, old, 'mirage-admin', [{ type: 1, name: 'backfill', options: [{ type: 7, name: 'channel', value: old.id }, { type: 4, name: 'limit', value: 5 }] }]);
    expect(messageText(world.fake.replyMessage(backfill))).toMatch(/Backfill finished\. <#\d+>: 5 of at most 5 messages read, 5 images added \(done\)/);
    expect(await world.archiveCount(history)).toBe(5);

    // A backfill asked for 12 that stopped after 5 (the bot went down): a restart finishes it.
    await world.bot.context.guilds.update(history.id, (g) => ({ ...g, backfills: { [old.id]: { ...(g.backfills[old.id] as Backfill), limit: 12, done: false } } }));
    await world.restart();
    await world.untilCount(history, 12);
    await vi.waitFor(async () => expect((await world.bot.context.guilds.get(history.id)).backfills[old.id]?.done).toBe(true), { timeout: 10_000 });
    const status = await world.command(owner, old, 'mirage-admin', [{ type: 1, name: 'status' }]);
    expect(messageText(world.fake.replyMessage(status))).toMatch(/Images searchable:\*\* 12[\s\S]*12 of at most 12 messages read, 12 images added \(done\)/);
  });

  it('finds deletions it missed with the reconciliation sweep, and removes nothing when Discord cannot say', async () => {
    const before = await world.archiveCount(guild);
    const missed = await post(art, erin);
    const kept = await post(art, erin);
    const count = before + 2;
    await world.untilCount(guild, count);
    world.fake.deleteMessageSilently(missed.message);
    world.fake.failingChannels.add(art.id);
    expect((await world.bot.sweep()).removed).toBe(0);
    expect(await world.archiveCount(guild)).toBe(count);
    world.fake.failingChannels.delete(art.id);
    expect((await world.bot.sweep()).removed).toBe(1);
    expect(await world.archiveCount(guild)).toBe(count - 1);
    expect(await world.bot.context.engine.getImage({ kind: 'archive', archive: world.archiveName(guild), id: imageIdOf(kept.message.attachments[0]?.id as string) }, 'thumb')).toBeDefined();
  });

  it('keeps searches and their buttons working across a restart', async () => {
    const before = await world.archiveCount(guild);
    const picture = await post(art, frank);
    await world.untilCount(guild, before + 1);
    const { message } = await world.search(frank, art, picture.captions[0] as string);
    await world.restart();
    const reroll = world.track(world.fake.click(frank, message, control(message, 'reroll')));
    await untilFinal(reroll);
    expect(messageText(message)).toContain('### Round 2');
  });

  it('forgets a member: /forget-me deletes their searches, and after confirmation their images, which are never indexed again', async () => {
    const before = await world.archiveCount(guild);
    const mine = await post(art, frank, 2);
    await world.untilCount(guild, before + 2);
    const franks = await world.bot.context.indexing.countByAuthor(guild.id, frank.id);
    expect(franks).toBeGreaterThanOrEqual(2);
    await world.search(frank, art, mine.captions[0] as string);
    const forget = await world.command(frank, art, 'forget-me');
    const reply = world.fake.replyMessage(forget);
    expect(messageText(reply)).toMatch(/Deleted your \d+ searches? in this server\.[\s\S]*holds \*\*\d+ images\*\* you posted/);
    const history = await world.command(frank, art, 'history');
    expect(messageText(world.fake.replyMessage(history))).toContain('You have no searches here yet');

    const confirm = world.track(world.fake.click(frank, reply, control(reply, 'forget')));
    await untilFinal(confirm);
    expect(messageText(reply)).toMatch(/Removed \d+ images? you posted/);
    const after = before + 2 - franks;
    expect(await world.archiveCount(guild)).toBe(after);
    expect(await world.bot.context.indexing.countByAuthor(guild.id, frank.id)).toBe(0);
    // Posted in this order, Frank's message is handled before Erin's: only hers is indexed.
    await post(art, frank);
    await post(art, erin);
    await world.untilCount(guild, after + 1);
    expect(await world.bot.context.indexing.countByAuthor(guild.id, frank.id)).toBe(0);
  });

  it('removes every image and all state of a guild it leaves, but keeps them through an outage', async () => {
    const doomed = world.fake.addGuild({ name: 'Doomed', owner, channels: [{ name: 'pics' }], members: [{ user: erin }] });
    const pics = world.fake.channel(doomed, 'pics');
    await world.deploy(doomed);
    await world.adminChannel(owner, pics, 'add', pics);
    await post(pics, erin, 2);
    await world.untilCount(doomed, 2);
    world.fake.guildOutage(doomed);
    await new Promise((r) => setTimeout(r, 300));
    expect(await world.archiveCount(doomed)).toBe(2);
    world.fake.removeBot(doomed);
    await world.untilCount(doomed, 0);
    await vi.waitFor(async () => expect((await world.bot.context.guilds.get(doomed.id)).indexedChannels).toEqual([]), { timeout: 10_000 });
  });
});

describe('without the Message Content intent', () => {
  let world: DiscordWorld;

  beforeAll(async () => {
    world = await DiscordWorld.start({ messageContent: false, settings: { publicArchives: ['scenes-public'] } });
    await buildTestWorld(world.dataDir, 'scenes-public', 100);
  });

  afterAll(async () => {
    await world?.close();
  });

  it('still serves searches (a public archive), and /mirage-admin status says indexing is off and why', async () => {
    const owner = world.fake.user('owner');
    const guild = world.fake.addGuild({ name: 'Quiet', owner, channels: [{ name: 'general' }], members: [] });
    const general = world.fake.channel(guild, 'general');
    await world.deploy(guild);
    await world.launch();
    expect(world.fake.intents & (1 << 15)).toBe(0);
    const { message } = await world.search(owner, general, 'a red car on a road at night', [{ type: 3, name: 'archive', value: 'scenes-public' }]);
    expect(messageText(message)).toMatch(/### Round 1 · generative · scenes-public[\s\S]*`#1` /);
    const own = await world.search(owner, general, 'a red car');
    expect(messageText(own.message)).toContain('no indexed images yet');
    const status = await world.command(owner, general, 'mirage-admin', [{ type: 1, name: 'status' }]);
    expect(messageText(world.fake.replyMessage(status))).toContain('off — the privileged Message Content intent is not enabled');
  });
});

describe('through the queue (REDIS_URL and a worker)', () => {
  let world: DiscordWorld;
  let worker: WorkerChild;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    world = await DiscordWorld.start({ config: { redisUrl: TEST_REDIS_URL, redisPrefix: prefix }, settings: { memberRoundsPerMinute: 100 } });
    worker = await WorkerChild.start({ redisUrl: TEST_REDIS_URL, prefix, dataDir: world.dataDir });
  }, 60_000);

  afterAll(async () => {
    await world?.close();
    await worker?.stop();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('indexes, searches and finds with rounds on the worker, and keeps its state in Redis across a restart', async () => {
    const owner = world.fake.user('owner');
    const guild = world.fake.addGuild({ name: 'Queued', owner, channels: [{ name: 'photos' }], members: [] });
    const photos = world.fake.channel(guild, 'photos');
    await world.deploy(guild);
    await world.launch();
    await world.adminChannel(owner, photos, 'add', photos);
    const pictures = await Promise.all([0, 1, 2, 3].map((i) => scenePicture(31, i)));
    const messages = pictures.map((p) => world.fake.postMessage(photos, owner, { attachments: [p.attachment] }));
    await world.untilCount(guild, 4);
    const { interaction, message } = await world.search(owner, photos, pictures[2]?.caption as string);
    expect(interaction.callback?.type).toBe(CALLBACK.deferReply);
    expect(hitMessageIds(message)[0]).toBe(messages[2]?.id);
    expect(worker.jobsDone('round').length).toBeGreaterThan(0);
    await world.restart();
    const found = world.track(world.fake.select(owner, message, control(message, 'found'), ['1']));
    await untilFinal(found);
    expect(messageText(message)).toContain(`/${messages[2]?.id})`);
  });
});
