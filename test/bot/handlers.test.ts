import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { answeringFailures } from '../../bot/answer-failure.js';
import type { BotContext } from '../../bot/bot-context.js';
import { UNEXPECTED_TEXT } from '../../bot/bot-error.js';
import { forgetMe } from '../../bot/commands/forget-me.js';
import { history } from '../../bot/commands/history.js';
import { admin } from '../../bot/commands/mirage-admin.js';
import { search } from '../../bot/commands/search.js';
import { CONTROLS } from '../../bot/components/index.js';
import { decodeControlId, type ControlAction } from '../../bot/custom-ids.js';
import { loadConfig } from '../../core/config/config.js';
import { MirageError } from '../../core/errors.js';
import type { Engine } from '../../core/ports/engine.js';
import { createRuntime } from '../../core/runtime/runtime.js';
import { ADULT, ALICE, BOB, botContext, buildGuildArchive, customIdsOf, engineWith, FakeAsker, GUILD, hitMessages, OTHER_GUILD, PHOTOS, SECRET, textOf, type MemberSpec, type PostedScene } from './bot-fixture.js';

let root: string;
let engine: Engine;
let posted: PostedScene[];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mirage-bot-handlers-'));
  engine = createRuntime(loadConfig({}, { dataDir: root })).engine;
  posted = await buildGuildArchive(engine, root);
});

afterAll(async () => {
  await engine?.close();
  await rm(root, { recursive: true, force: true });
});

afterEach(() => {
  vi.useRealTimers();
});

const inChannel = (channel: string) => new Set(posted.filter((p) => p.channel === channel).map((p) => p.message));
const captionIn = (channel: string, i = 0) => (posted.filter((p) => p.channel === channel)[i] as PostedScene).caption;

/** Runs a command or control as the router does: failures become messages. */
async function run(ctx: BotContext, asker: FakeAsker, kind: 'command' | 'control', work: () => Promise<void>): Promise<FakeAsker> {
  await answeringFailures(ctx.log, asker, kind, work);
  return asker;
}

async function started(ctx: BotContext, description: string, member: MemberSpec = {}): Promise<{ asker: FakeAsker; ids: string[] }> {
  const asker = new FakeAsker(member);
  await run(ctx, asker, 'command', () => search(ctx, asker, { description }));
  return { asker, ids: customIdsOf(asker.lastShown().components) };
}

/** Clicks a control of the last round shown, as `member`. */
async function click(ctx: BotContext, ids: readonly string[], action: ControlAction, member: MemberSpec = {}, input: { values?: string[]; fields?: Record<string, string> } = {}): Promise<FakeAsker> {
  const custom = ids.find((id) => decodeControlId(id)?.action === action);
  if (!custom) throw new Error(`No ${action} control among ${ids.join(', ')}`);
  const id = decodeControlId(custom);
  if (!id) throw new Error('bad id');
  const asker = new FakeAsker(member);
  return run(ctx, asker, 'control', () => CONTROLS[action].handle(ctx, asker, id, { values: input.values ?? [], fields: input.fields ?? {} }));
}

describe('/search', () => {
  it('acknowledges first, then shows the round: what Mirage pictured, numbered hits with jump links, and the controls', async () => {
    const ctx = await botContext(engine, root);
    const { asker, ids } = await started(ctx, captionIn(PHOTOS, 3));
    expect(asker.calls[0]).toEqual({ kind: 'defer', how: 'reply' });
    const shown = asker.lastShown();
    const text = textOf(shown.components);
    expect(text).toContain('What Mirage pictured');
    expect(text).toMatch(/`#1` in <#\d+> · \[original message\]\(https:\/\/discord\.com\/channels\//);
    expect(shown.files).toEqual(['synthetic-1.png', 'hits.png']);
    expect(ids.map((id) => decodeControlId(id)?.action).sort()).toEqual(['closer', 'found', 'not', 'refine', 'reroll', 'stop']);
    expect(hitMessages(shown.components)[0]).toBe(posted.filter((p) => p.channel === PHOTOS)[3]?.message);
  });

  it('never shows images from channels the member cannot view, nor NSFW ones outside an NSFW channel', async () => {
    const ctx = await botContext(engine, root);
    for (const channel of [SECRET, ADULT]) {
      for (let i = 0; i < 3; i++) {
        const { asker } = await started(ctx, captionIn(channel, i), { sees: [PHOTOS, ADULT], userId: `2000000000000001${i}${channel.slice(-1)}` });
        const hits = hitMessages(asker.lastShown().components);
        expect(hits.length).toBeGreaterThan(0);
        for (const message of hits) expect(inChannel(PHOTOS).has(message)).toBe(true);
      }
    }
    // In an NSFW channel the member's NSFW channel is searchable too.
    const { asker } = await started(ctx, captionIn(ADULT, 1), { sees: [PHOTOS, ADULT], inNsfwChannel: true, channelId: ADULT });
    expect(hitMessages(asker.lastShown().components)[0]).toBe(posted.filter((p) => p.channel === ADULT)[1]?.message);
  });

  it('tells a guild with no indexed images what to do, and names the public archives', async () => {
    const ctx = await botContext(engine, root, { settings: { publicArchives: ['scenes-demo'] } });
    const asker = new FakeAsker({ guildId: OTHER_GUILD });
    await run(ctx, asker, 'command', () => search(ctx, asker, { description: 'a red car' }));
    expect(textOf(asker.lastShown().components)).toMatch(/no indexed images yet.*\/mirage-admin channels add.*`scenes-demo`/s);
  });

  it("refuses another guild's archive, and an empty or overlong description, starting nothing", async () => {
    const ctx = await botContext(engine, root);
    const other = new FakeAsker();
    await run(ctx, other, 'command', () => search(ctx, other, { description: 'a red car', archive: `discord-${OTHER_GUILD}` }));
    expect(textOf(other.lastShown().components)).toContain('cannot be searched from this server');
    for (const description of ['   ', 'x'.repeat(1001)]) {
      const asker = new FakeAsker({ userId: BOB });
      await run(ctx, asker, 'command', () => search(ctx, asker, { description }));
      expect(textOf(asker.lastShown().components)).toMatch(/description is (empty|longer than 1000)/);
    }
    expect(await ctx.search.history(GUILD, BOB)).toEqual([]);
  });
});

describe('controls under a round', () => {
  it('run the next round in place: refine (a modal with the last description), closer to, not these, reroll', async () => {
    const ctx = await botContext(engine, root);
    const first = await started(ctx, captionIn(PHOTOS, 5));
    const refine = await click(ctx, first.ids, 'refine');
    expect(refine.calls).toEqual([{ kind: 'modal', modal: expect.objectContaining({ value: captionIn(PHOTOS, 5), maxLength: 1000 }) }]);
    const modalId = (refine.calls[0] as { modal: { customId: string } }).modal.customId;
    const refined = await click(ctx, [modalId], 'refined', {}, { fields: { description: `${captionIn(PHOTOS, 5)} It was raining.` } });
    expect(refined.calls[0]).toEqual({ kind: 'defer', how: 'update' });
    const second = refined.lastShown();
    expect(textOf(second.components)).toContain('### Round 2');
    expect(textOf(second.components)).toContain('It was raining.');

    const rejected = hitMessages(second.components).slice(0, 2);
    const not = await click(ctx, customIdsOf(second.components), 'not', {}, { values: ['1', '2'] });
    const third = not.lastShown();
    expect(textOf(third.components)).toContain('### Round 3');
    for (const message of rejected) expect(hitMessages(third.components)).not.toContain(message);

    const closer = await click(ctx, customIdsOf(third.components), 'closer', {}, { values: ['3'] });
    expect(textOf(closer.lastShown().components)).toContain('### Round 4');
    const reroll = await click(ctx, customIdsOf(closer.lastShown().components), 'reroll');
    expect(textOf(reroll.lastShown().components)).toContain('### Round 5');
    expect(reroll.lastShown().files).toEqual(['synthetic-1.png', 'hits.png']);
  });

  it('refuses a control of an earlier round, and any control of another member', async () => {
    const ctx = await botContext(engine, root);
    const first = await started(ctx, captionIn(PHOTOS, 1));
    await click(ctx, first.ids, 'reroll');
    expect((await click(ctx, first.ids, 'reroll')).lastTold()).toContain('earlier round');
    for (const action of ['refine', 'reroll', 'stop'] as const) {
      const bob = await click(ctx, first.ids, action, { userId: BOB });
      expect(bob.lastTold()).toContain('belongs to another member');
      expect(bob.calls.some((c) => c.kind === 'show' || c.kind === 'modal')).toBe(false);
    }
  });

  it('Found it shows the original with its jump link and ends the search; Share posts it when that exposes nothing', async () => {
    const ctx = await botContext(engine, root);
    const target = posted.filter((p) => p.channel === PHOTOS)[7] as PostedScene;
    const first = await started(ctx, target.caption);
    const number = hitMessages(first.asker.lastShown().components).indexOf(target.message) + 1;
    expect(number).toBeGreaterThan(0);
    const found = await click(ctx, first.ids, 'found', {}, { values: [String(number)] });
    const view = found.lastShown();
    expect(textOf(view.components)).toContain(`/channels/${GUILD}/${PHOTOS}/${target.message})`);
    expect(view.files).toEqual(['found.jpg']);
    const [history0] = await ctx.search.history(GUILD, ALICE);
    expect(history0?.status).toBe('found');
    expect(history0?.found?.imageId).toBe(target.imageId);
    // Ended: the engine session is gone, and the round's controls refuse.
    expect((await click(ctx, first.ids, 'reroll')).lastTold()).toContain('has ended');

    const share = await click(ctx, customIdsOf(view.components), 'share');
    expect(share.calls.map((c) => c.kind)).toEqual(['defer', 'post']);
    expect(textOf((share.calls[1] as { message: { components: { toJSON(): unknown }[] } }).message.components.map((c) => c.toJSON()))).toContain(`<@${ALICE}> found this image`);
    expect((await click(ctx, customIdsOf(view.components), 'share', { userId: BOB })).lastTold()).toContain('Only the member who found');
  });

  it('Share refuses an image from a channel not everyone may view, or from an NSFW channel into another', async () => {
    const ctx = await botContext(engine, root);
    for (const [channel, member, refusal] of [
      [SECRET, { sees: [PHOTOS, SECRET], everyoneSees: [PHOTOS] }, 'not everyone here can see'],
      [ADULT, { sees: [PHOTOS, ADULT], everyoneSees: [PHOTOS, ADULT], inNsfwChannel: true, channelId: ADULT }, 'age-restricted'],
    ] as const) {
      const target = posted.filter((p) => p.channel === channel)[2] as PostedScene;
      const first = await started(ctx, target.caption, member);
      const number = hitMessages(first.asker.lastShown().components).indexOf(target.message) + 1;
      const found = await click(ctx, first.ids, 'found', member, { values: [String(number)] });
      const shareMember = channel === ADULT ? { ...member, inNsfwChannel: false, channelId: PHOTOS } : member;
      expect((await click(ctx, customIdsOf(found.lastShown().components), 'share', shareMember)).lastTold()).toContain(refusal);
    }
  });

  it('Stop ends the search; an idle search expires and says so', async () => {
    const ctx = await botContext(engine, root, { settings: { sessionIdleHours: 1 } });
    const stopped = await started(ctx, captionIn(PHOTOS, 2));
    const stop = await click(ctx, stopped.ids, 'stop');
    expect(textOf(stop.lastShown().components)).toContain('Search stopped');
    expect((await click(ctx, stopped.ids, 'reroll')).lastTold()).toContain('has ended (stopped)');

    const idle = await started(ctx, captionIn(PHOTOS, 4));
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 * 3_600_000 });
    expect((await click(ctx, idle.ids, 'reroll')).lastTold()).toContain('expired');
    expect((await ctx.search.history(GUILD, ALICE))[0]?.status).toBe('expired');
  });
});

describe('rate limits', () => {
  it('allow one round in flight per member and a number per minute, and say when to retry', async () => {
    const ctx = await botContext(engine, root, { settings: { memberRoundsPerMinute: 2 } });
    await started(ctx, captionIn(PHOTOS, 0), { userId: BOB });
    await started(ctx, captionIn(PHOTOS, 1), { userId: BOB });
    const third = await started(ctx, captionIn(PHOTOS, 2), { userId: BOB });
    expect(textOf(third.asker.lastShown().components)).toMatch(/lot of rounds in the last minute; try again in \d+ s/);
    expect(third.ids).toEqual([]);
    expect(await ctx.search.history(GUILD, BOB)).toHaveLength(2);

    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = false;
    const slow = engineWith(engine, {
      runRound: async (...args) => {
        entered = true;
        await gate;
        return engine.runRound(...args);
      },
    });
    const slowCtx = await botContext(slow, root);
    const running = started(slowCtx, captionIn(PHOTOS, 3));
    await vi.waitFor(() => expect(entered).toBe(true));
    const second = new FakeAsker();
    await run(slowCtx, second, 'command', () => search(slowCtx, second, { description: 'a cat' }));
    expect(textOf(second.lastShown().components)).toContain('already have a round running');
    release();
    expect(textOf((await running).asker.lastShown().components)).toContain('### Round 1');
    // The slot is free again once the round is done.
    expect(textOf((await started(slowCtx, captionIn(PHOTOS, 4))).asker.lastShown().components)).toContain('### Round 1');
  });
});

describe('engine failures', () => {
  it('tell the member in plain words and leave the search as it was, so the same control works again', async () => {
    let failure: Error | undefined;
    const flaky = engineWith(engine, { runRound: (...args) => (failure ? Promise.reject(failure) : engine.runRound(...args)) });
    const ctx = await botContext(flaky, root);
    const first = await started(ctx, captionIn(PHOTOS, 6));
    failure = new MirageError('TIMEOUT', 'No reply from a worker within 300000 ms.');
    expect((await click(ctx, first.ids, 'reroll')).lastTold()).toContain('could not finish this in time');
    failure = new Error('Connection is closed.');
    expect((await click(ctx, first.ids, 'reroll')).lastTold()).toBe(UNEXPECTED_TEXT);
    failure = undefined;
    const retried = await click(ctx, first.ids, 'reroll');
    expect(textOf(retried.lastShown().components)).toContain('### Round 2');
  });
});

describe('/history, /forget-me', () => {
  it("lists the member's searches, then deletes them", async () => {
    const ctx = await botContext(engine, root);
    const member = { userId: '200000000000000077' };
    await started(ctx, captionIn(PHOTOS, 0), member);
    const h = new FakeAsker(member);
    await run(ctx, h, 'command', () => history(ctx, h));
    expect(textOf(h.lastShown().components)).toMatch(/Your recent searches\n1\. \*\*in progress\*\* · 1 round/);

    const f = new FakeAsker(member);
    await run(ctx, f, 'command', () => forgetMe(ctx, f));
    expect(textOf(f.lastShown().components)).toContain('Deleted your 1 search');
    expect(await ctx.search.history(GUILD, member.userId)).toEqual([]);
  });
});

describe('/mirage-admin', () => {
  it('is refused to members who may not manage the server, and adds, lists and removes channels for those who may', async () => {
    const ctx = await botContext(engine, root);
    const refused = new FakeAsker();
    await run(ctx, refused, 'command', () => admin(ctx, refused, { action: 'list' }));
    expect(textOf(refused.lastShown().components)).toContain('Only members who may manage');
    const manager = { manager: true, guildId: OTHER_GUILD };
    const add = new FakeAsker(manager);
    await run(ctx, add, 'command', () => admin(ctx, add, { action: 'add', channelId: '300000000000000099' }));
    expect(textOf(add.lastShown().components)).toContain('Mirage now indexes <#300000000000000099>');
    const list = new FakeAsker(manager);
    await run(ctx, list, 'command', () => admin(ctx, list, { action: 'list' }));
    expect(textOf(list.lastShown().components)).toBe('Indexed channels: <#300000000000000099>');
    const status = new FakeAsker(manager);
    await run(ctx, status, 'command', () => admin(ctx, status, { action: 'status' }));
    expect(textOf(status.lastShown().components)).toMatch(/Indexing:\*\* on[\s\S]*Images searchable:\*\* 0/);
  });

  it('says in status why indexing is off, and refuses a backfill then', async () => {
    const ctx = await botContext(engine, root, { indexing: { enabled: false, reason: 'the Message Content intent is not enabled.' } });
    const status = new FakeAsker({ manager: true });
    await run(ctx, status, 'command', () => admin(ctx, status, { action: 'status' }));
    expect(textOf(status.lastShown().components)).toContain('off — the Message Content intent is not enabled.');
    expect(textOf(status.lastShown().components)).toContain(`Images searchable:** ${posted.length}`);
    const backfill = new FakeAsker({ manager: true });
    await run(ctx, backfill, 'command', () => admin(ctx, backfill, { action: 'backfill', channelId: PHOTOS }));
    expect(textOf(backfill.lastShown().components)).toContain('Indexing is off');
  });
});
