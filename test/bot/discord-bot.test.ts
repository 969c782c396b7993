import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK } from '../fake-discord/fake-interaction.js';
import type { FakeChannel, FakeGuild, FakeMessage, FakeUser } from '../fake-discord/payloads.js';
import { control, DiscordWorld, untilFinal, hitGuildIds, hitMessageIds, messageText, scenePicture } from './discord-world.js';

/**
 * The bot end to end: the unmodified discord.js client of `mirage bot` logged in to a local
 * Discord-compatible server (REST and gateway), members posting Scenes pictures into indexed
 * channels and searching for them with the real controls.
 */
let world: DiscordWorld;
let owner: FakeUser;
let alice: FakeUser;
let bob: FakeUser;
let carol: FakeUser;
let dave: FakeUser;
let guild: FakeGuild;
let other: FakeGuild;
let photos: FakeChannel;
let mods: FakeChannel;
let adult: FakeChannel;
let pics: FakeChannel;
const posted: { message: FakeMessage; caption: string; channel: FakeChannel }[] = [];

const PER_CHANNEL = { photos: 8, mods: 3, adult: 3 };

beforeAll(async () => {
  world = await DiscordWorld.start({ settings: { maxAttachmentMb: 0.5, memberRoundsPerMinute: 200, guildRoundsPerMinute: 1000 } });
  const fake = world.fake;
  owner = fake.user('owner');
  alice = fake.user('alice');
  bob = fake.user('bob');
  carol = fake.user('carol');
  dave = fake.user('dave');
  guild = fake.addGuild({
    name: 'Photographers',
    owner,
    roles: [{ name: 'mods' }],
    channels: [{ name: 'photos' }, { name: 'mods', hiddenFromEveryoneExcept: ['mods'] }, { name: 'adult', nsfw: true }],
    members: [{ user: alice, roles: ['mods'] }, { user: bob }, { user: carol }],
  });
  other = fake.addGuild({ name: 'Elsewhere', owner: dave, channels: [{ name: 'pics' }], members: [] });
  [photos, mods, adult] = ['photos', 'mods', 'adult'].map((n) => fake.channel(guild, n)) as [FakeChannel, FakeChannel, FakeChannel];
  pics = fake.channel(other, 'pics');
  expect(await world.deploy(guild)).toEqual(['search', 'history', 'forget-me', 'mirage-admin']);
  await world.deploy(other);
  await world.launch();

  for (const channel of [photos, mods, adult]) await world.adminChannel(owner, photos, 'add', channel);
  await world.adminChannel(dave, pics, 'add', pics);
  let i = 0;
  for (const [channel, count] of [[photos, PER_CHANNEL.photos], [mods, PER_CHANNEL.mods], [adult, PER_CHANNEL.adult]] as const) {
    for (let n = 0; n < count; n++) {
      const picture = await scenePicture(17, i++);
      posted.push({ message: fake.postMessage(channel, alice, { text: 'from my walk', attachments: [picture.attachment] }), caption: picture.caption, channel });
    }
  }
  for (let n = 0; n < 4; n++) fake.postMessage(pics, dave, { attachments: [(await scenePicture(99, n)).attachment] });
  await world.untilCount(guild, PER_CHANNEL.photos + PER_CHANNEL.mods + PER_CHANNEL.adult);
  await world.untilCount(other, 4);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const of = (channel: FakeChannel) => posted.filter((p) => p.channel === channel);

describe('the Discord bot against a Discord-compatible server', () => {
  it('finds a posted image: /search, then Refine, Closer to, Not these, Reroll and Found it; Share posts it', async () => {
    const target = of(photos)[5] as (typeof posted)[number];
    const { interaction, message } = await world.search(bob, photos, target.caption);
    expect(interaction.callback).toMatchObject({ type: CALLBACK.deferReply, data: { flags: 64 } });
    expect(messageText(message)).toContain('What Mirage pictured');
    expect(message.attachments.map((a) => a.filename)).toEqual(['synthetic-1.png', 'hits.png']);
    expect(hitMessageIds(message)).toContain(target.message.id);

    const refine = world.track(world.fake.click(bob, message, control(message, 'refine')));
    const modal = await refine.next((r) => r.kind === 'callback');
    expect(modal).toMatchObject({ type: CALLBACK.modal });
    expect(JSON.stringify(modal.kind === 'callback' ? modal.data : {})).toContain(JSON.stringify(target.caption).slice(1, 40));
    const refined = world.track(world.fake.submitModal(bob, refine, { description: `${target.caption} I took it on a walk.` }));
    await untilFinal(refined);
    expect(messageText(message)).toContain('### Round 2');
    expect(messageText(message)).toContain('I took it on a walk.');

    const closer = world.track(world.fake.select(bob, message, control(message, 'closer'), [String(hitMessageIds(message).indexOf(target.message.id) + 1)]));
    await untilFinal(closer);
    expect(messageText(message)).toContain('### Round 3');

    const wrong = hitMessageIds(message).filter((id) => id !== target.message.id).slice(0, 2);
    const numbers = wrong.map((id) => String(hitMessageIds(message).indexOf(id) + 1));
    const not = world.track(world.fake.select(bob, message, control(message, 'not'), numbers));
    await untilFinal(not);
    expect(messageText(message)).toContain('### Round 4');
    for (const id of wrong) expect(hitMessageIds(message)).not.toContain(id);

    const before = message.attachments.find((a) => a.filename === 'synthetic-1.png')?.bytes;
    const reroll = world.track(world.fake.click(bob, message, control(message, 'reroll')));
    await untilFinal(reroll);
    expect(messageText(message)).toContain('### Round 5');
    expect(Buffer.compare(Buffer.from(before ?? []), Buffer.from(message.attachments.find((a) => a.filename === 'synthetic-1.png')?.bytes ?? []))).not.toBe(0);

    const number = hitMessageIds(message).indexOf(target.message.id) + 1;
    expect(number).toBeGreaterThan(0);
    const found = world.track(world.fake.select(bob, message, control(message, 'found'), [String(number)]));
    await untilFinal(found);
    expect(messageText(message)).toContain(`https://discord.com/channels/${guild.id}/${photos.id}/${target.message.id}`);
    const shown = message.attachments.find((a) => a.filename.startsWith('found'));
    const original = target.message.attachments[0]?.bytes as Uint8Array;
    const [a, b] = await Promise.all([shown?.bytes, original].map((bytes) => sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true })));
    expect([a?.info.width, a?.info.height]).toEqual([b?.info.width, b?.info.height]);
    let diff = 0;
    for (let i = 0; i < (a?.data.length ?? 0); i++) diff += Math.abs((a?.data[i] ?? 0) - (b?.data[i] ?? 0));
    expect(diff / (a?.data.length ?? 1)).toBeLessThan(6);

    const share = world.track(world.fake.click(bob, message, control(message, 'share')));
    const post = await share.next((r) => r.kind === 'followup');
    expect(post.kind === 'followup' && (Number(post.body.flags ?? 0) & 64)).toBe(0);
    expect(messageText(post.kind === 'followup' ? post.body : undefined)).toContain(`<@${bob.id}> found this image`);
  });

  it("refuses another member's click, privately, and leaves the message as it was", async () => {
    const { message } = await world.search(bob, photos, (of(photos)[1] as (typeof posted)[number]).caption);
    const before = JSON.stringify(message.components);
    for (const action of ['reroll', 'refine', 'stop']) {
      const click = world.track(world.fake.click(carol, message, control(message, action)));
      const answer = await click.next((r) => r.kind === 'followup' || (r.kind === 'callback' && r.type === CALLBACK.reply));
      const body = answer.kind === 'followup' ? answer.body : answer.kind === 'callback' ? answer.data : undefined;
      expect(Number(body?.flags ?? 0) & 64).toBe(64);
      expect(messageText(body)).toContain('belongs to another member');
    }
    expect(JSON.stringify(message.components)).toBe(before);
  });

  it('never gives a member images of a channel they cannot view, nor NSFW images outside an NSFW channel', async () => {
    for (const p of [...of(mods), ...of(adult)]) {
      const { message } = await world.search(bob, photos, p.caption);
      const hits = hitMessageIds(message);
      expect(hits.length).toBeGreaterThan(0);
      for (const id of hits) expect(of(photos).map((x) => x.message.id)).toContain(id);
    }
    // Alice is a mod: she finds a mods image; in the NSFW channel, an NSFW one.
    const modPicture = of(mods)[1] as (typeof posted)[number];
    expect(hitMessageIds((await world.search(alice, photos, modPicture.caption)).message)[0]).toBe(modPicture.message.id);
    const adultPicture = of(adult)[2] as (typeof posted)[number];
    expect(hitMessageIds((await world.search(bob, adult, adultPicture.caption)).message)[0]).toBe(adultPicture.message.id);
    expect(hitMessageIds((await world.search(bob, photos, adultPicture.caption)).message)).not.toContain(adultPicture.message.id);
  });

  it('keeps guilds apart: a second guild sees none of the first guild\'s images and cannot pick its archive', async () => {
    for (const p of of(photos).slice(0, 3)) {
      const { message } = await world.search(dave, pics, p.caption);
      const guilds = hitGuildIds(message);
      expect(guilds.length).toBeGreaterThan(0);
      expect(new Set(guilds)).toEqual(new Set([other.id]));
    }
    const refused = await world.search(dave, pics, 'a red car', [{ type: 3, name: 'archive', value: world.archiveName(guild) }]);
    expect(messageText(refused.message)).toContain('cannot be searched from this server');
    const complete = world.track(world.fake.autocomplete(dave, pics, 'search', [{ type: 3, name: 'archive', value: '', focused: true }]));
    const choices = await complete.next((r) => r.kind === 'callback');
    expect(choices.kind === 'callback' && choices.data?.choices).toEqual([{ name: "This server's images (4)", value: world.archiveName(other) }]);
  });

  it('skips attachments that are not usable images (text, a pixel bomb, an oversized file), and keeps serving', async () => {
    const bomb = await sharp({ create: { width: 12_000, height: 12_000, channels: 3, background: '#336699' } }).png({ compressionLevel: 9 }).toBuffer();
    const noise = await sharp(Buffer.from(Array.from({ length: 700 * 700 * 3 }, (_, i) => (i * 7919) % 251)), { raw: { width: 700, height: 700, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
    const before = await world.archiveCount(guild);
    const usable = await scenePicture(17, 500);
    world.fake.postMessage(photos, carol, {
      attachments: [
        { filename: 'notes.txt', contentType: 'text/plain', bytes: Buffer.from('not an image') },
        { filename: 'fake.png', contentType: 'image/png', bytes: Buffer.from('definitely not a png') },
        { filename: 'bomb.png', contentType: 'image/png', bytes: bomb },
        { filename: 'huge.png', contentType: 'image/png', bytes: noise },
        usable.attachment,
      ],
    });
    await world.untilCount(guild, before + 1);
    expect(hitMessageIds((await world.search(carol, photos, usable.caption)).message).length).toBeGreaterThan(0);
  });

  it('removes the image of a deleted message: it never comes back', async () => {
    const target = of(photos)[2] as (typeof posted)[number];
    expect(hitMessageIds((await world.search(carol, photos, target.caption)).message)[0]).toBe(target.message.id);
    const before = await world.archiveCount(guild);
    world.fake.deleteMessage(target.message);
    await world.untilCount(guild, before - 1);
    expect(hitMessageIds((await world.search(carol, photos, target.caption)).message)).not.toContain(target.message.id);
  });

  it('acknowledged every interaction within 3 seconds', () => {
    expect(world.interactions.length).toBeGreaterThan(25);
    for (const interaction of world.interactions) {
      expect(interaction.ackMs, `interaction ${interaction.id}`).toBeDefined();
      expect(interaction.ackMs).toBeLessThan(3000);
    }
  });
});
