import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, RoundProgress } from '../../core/ports/engine.js';
import { isMirageError, type MirageErrorCode } from '../../core/errors.js';
import { encodeImage } from '../../core/images/encode.js';
import { THUMBNAIL_SIZE } from '../../core/images/limits.js';
import { renderScene } from '../../core/scenes/renderer.js';
import { sceneAt } from '../../core/scenes/sampler.js';
import { STRATEGY_NAMES, type Round, type StrategyName } from '../../core/session/session.js';

export interface ContractSubject {
  readonly engine: Engine;
  /** A Scenes world archive the engine serves. */
  readonly archive: string;
  readonly archiveSize: number;
  /** Where files handed to the engine for ingestion may lie (the data folder's staging folder). */
  readonly stagingDir: string;
}

export interface ContractSetup {
  readonly setUp: () => Promise<ContractSubject>;
  readonly tearDown: () => Promise<void>;
}

async function expectCode(promise: Promise<unknown>, code: MirageErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isMirageError(error), `expected a MirageError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

const QUERY = 'a red car on a road at night';

/**
 * What every Engine must do, whichever process runs it: the in-process engine and the
 * queue-backed engine both pass this suite (test/engine/in-process-engine.test.ts and
 * test/queue/queue-engine.test.ts).
 */
export function engineContract(label: string, setup: ContractSetup): void {
  describe(`Engine contract: ${label}`, () => {
    let engine: Engine;
    let archive: string;
    let archiveSize: number;
    let stagingDir: string;

    beforeAll(async () => {
      ({ engine, archive, archiveSize, stagingDir } = await setup.setUp());
    });
    afterAll(() => setup.tearDown());

    it('lists the archive it serves', async () => {
      const archives = await engine.listArchives();
      expect(archives.find((a) => a.name === archive)).toMatchObject({ name: archive, count: archiveSize, embedder: 'scenes' });
    });

    it('starts a session with defaults and a recorded seed, and reads it back', async () => {
      const session = await engine.startSession({ archive });
      expect(session).toMatchObject({ archive, strategy: 'generative', k: 10, samples: 1, status: 'active', rounds: [] });
      expect(Number.isInteger(session.seed)).toBe(true);
      expect(await engine.getSession(session.id)).toEqual(session);
    });

    describe.each(STRATEGY_NAMES.map((s) => [s]))('a round with strategy %s', (strategy: StrategyName) => {
      it('returns k ranked hits from the archive and the strategy\'s feedback, and records the round', async () => {
        const session = await engine.startSession({ archive, strategy, k: 6, seed: 7 });
        const stages = new Set<RoundProgress['stage']>();
        const round = await engine.runRound(session.id, { query: QUERY }, { onProgress: (p) => stages.add(p.stage) });
        expect(round.index).toBe(0);
        expect(round.query).toBe(QUERY);
        expect(round.hits.map((h) => h.rank)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(new Set(round.hits.map((h) => h.id)).size).toBe(6);
        const scores = round.hits.map((h) => h.score);
        expect([...scores].sort((a, b) => b - a)).toEqual(scores);
        expect(stages.has('search')).toBe(true);
        checkFeedback(strategy, round);
        const stored = await engine.getSession(session.id);
        expect(stored.rounds).toHaveLength(1);
        expect(stored.rounds[0]?.hits).toEqual(round.hits);
      });
    });

    it('applies feedback in the next round: rejected images are not shown again', async () => {
      const session = await engine.startSession({ archive, strategy: 'text', k: 5, seed: 3 });
      const first = await engine.runRound(session.id, { query: QUERY });
      const rejected = first.hits.slice(0, 2).map((h) => h.id);
      const closer = first.hits[2]?.id as string;
      const second = await engine.runRound(session.id, { query: `${QUERY} with a tree`, notThese: rejected, closerTo: [closer] });
      expect(second.index).toBe(1);
      expect(second.notThese).toEqual(rejected);
      expect(second.hits.some((h) => rejected.includes(h.id))).toBe(false);
      expect((await engine.getSession(session.id)).rounds.map((r) => r.query)).toEqual([QUERY, `${QUERY} with a tree`]);
    });

    it('serialises rounds posted to one session at once: each gets its own index', async () => {
      const session = await engine.startSession({ archive, strategy: 'text', seed: 11 });
      const queries = ['a blue boat', 'a green tree', 'a white dog'];
      const rounds = await Promise.all(queries.map((query) => engine.runRound(session.id, { query })));
      expect(rounds.map((r) => r.index).sort()).toEqual([0, 1, 2]);
      const stored = await engine.getSession(session.id);
      expect(stored.rounds).toHaveLength(3);
      for (const round of rounds) expect(stored.rounds[round.index]?.query).toBe(round.query);
    });

    it('serves archive images, full and thumbnail', async () => {
      const session = await engine.startSession({ archive, strategy: 'text', k: 1, seed: 1 });
      const id = (await engine.runRound(session.id, { query: QUERY })).hits[0]?.id as string;
      const full = await engine.getImage({ kind: 'archive', archive, id });
      const thumb = await engine.getImage({ kind: 'archive', archive, id }, 'thumb');
      for (const image of [full, thumb]) {
        const meta = await sharp(image.bytes).metadata();
        expect([meta.width, meta.height]).toEqual([image.width, image.height]);
      }
      expect(thumb.width).toBeLessThan(full.width);
    });

    it('serves the synthetic images of a generative round, full and thumbnail', async () => {
      const session = await engine.startSession({ archive, strategy: 'generative', samples: 2, seed: 5 });
      const round = await engine.runRound(session.id, { query: QUERY });
      const images = round.feedback.kind === 'synthetic' ? round.feedback.images : [];
      expect(images).toHaveLength(2);
      for (const { id } of images) {
        const full = await engine.getImage({ kind: 'synthetic', id });
        const thumb = await engine.getImage({ kind: 'synthetic', id }, 'thumb');
        expect(full.mime).toBe('image/png');
        expect((await sharp(full.bytes).metadata()).width).toBe(full.width);
        expect(thumb.mime).toBe('image/jpeg');
        expect(Math.max(thumb.width, thumb.height)).toBe(THUMBNAIL_SIZE);
      }
    });

    it('ranks any archive image under a past round\'s query (evaluation)', async () => {
      const session = await engine.startSession({ archive, strategy: 'text', k: 8, seed: 2 });
      const round = await engine.runRound(session.id, { query: QUERY });
      for (const hit of round.hits) {
        const higher = round.hits.filter((h) => h.score > hit.score).length;
        expect(await engine.rankOf(session.id, 0, hit.id)).toBe(higher);
      }
      await expectCode(engine.rankOf(session.id, 1, round.hits[0]?.id as string), 'INVALID_INPUT');
    });

    it('ends a session on select; later rounds and selections fail with SESSION_ENDED', async () => {
      const session = await engine.startSession({ archive, strategy: 'text', seed: 4 });
      const round = await engine.runRound(session.id, { query: QUERY });
      const picked = round.hits[1]?.id as string;
      const ended = await engine.selectResult(session.id, picked);
      expect(ended).toMatchObject({ status: 'found', selected: { id: picked, round: 0 } });
      expect(await engine.getSession(session.id)).toEqual(ended);
      await expectCode(engine.runRound(session.id, { query: QUERY }), 'SESSION_ENDED');
      await expectCode(engine.selectResult(session.id, picked), 'SESSION_ENDED');
    });

    it('rejects bad input with specific errors', async () => {
      const session = await engine.startSession({ archive, seed: 1 });
      await expectCode(engine.getSession('no-such-session'), 'UNKNOWN_SESSION');
      await expectCode(engine.runRound('no-such-session', { query: QUERY }), 'UNKNOWN_SESSION');
      await expectCode(engine.startSession({ archive: 'no-such-archive' }), 'UNKNOWN_ARCHIVE');
      await expectCode(engine.runRound(session.id, { query: '   ' }), 'INVALID_INPUT');
      await expectCode(engine.startSession({ archive, k: 0 }), 'INVALID_INPUT');
      await expectCode(engine.startSession({ archive, k: 101 }), 'INVALID_INPUT');
      await expectCode(engine.runRound(session.id, { query: QUERY, closerTo: ['not-an-image'] }), 'UNKNOWN_IMAGE');
      await expectCode(engine.selectResult(session.id, 'not-an-image'), 'UNKNOWN_IMAGE');
      await expectCode(engine.getImage({ kind: 'archive', archive, id: 'not-an-image' }), 'UNKNOWN_IMAGE');
      await expectCode(engine.getImage({ kind: 'synthetic', id: 'never-made' }), 'UNKNOWN_IMAGE');
      // None of the failed requests changed the session.
      expect((await engine.getSession(session.id)).rounds).toHaveLength(0);
    });

    it('keeps a session to its owner: anyone else finds no session and no synthetic images', async () => {
      const alice = { owner: 'discord:g1:alice' };
      const bob = { owner: 'discord:g1:bob' };
      const session = await engine.startSession({ archive, strategy: 'generative', seed: 6, ...alice });
      expect(session.owner).toBe(alice.owner);
      await expectCode(engine.runRound(session.id, { query: QUERY }), 'UNKNOWN_SESSION');
      await expectCode(engine.runRound(session.id, { query: QUERY }, bob), 'UNKNOWN_SESSION');
      const round = await engine.runRound(session.id, { query: QUERY }, alice);
      const synthetic = round.feedback.kind === 'synthetic' ? (round.feedback.images[0]?.id as string) : '';
      await expectCode(engine.getSession(session.id), 'UNKNOWN_SESSION');
      await expectCode(engine.getSession(session.id, bob), 'UNKNOWN_SESSION');
      await expectCode(engine.getImage({ kind: 'synthetic', id: synthetic }, 'full', bob), 'UNKNOWN_IMAGE');
      await expectCode(engine.getImage({ kind: 'synthetic', id: synthetic }), 'UNKNOWN_IMAGE');
      await expectCode(engine.rankOf(session.id, 0, round.hits[0]?.id as string, bob), 'UNKNOWN_SESSION');
      await expectCode(engine.selectResult(session.id, round.hits[0]?.id as string, bob), 'UNKNOWN_SESSION');
      expect((await engine.getImage({ kind: 'synthetic', id: synthetic }, 'full', alice)).mime).toBe('image/png');
      expect((await engine.getSession(session.id, alice)).rounds).toHaveLength(1);

      // Someone else's delete does nothing; the owner's removes the session and its images.
      await engine.deleteSession(session.id, bob);
      expect((await engine.getSession(session.id, alice)).rounds).toHaveLength(1);
      await engine.deleteSession(session.id, alice);
      await expectCode(engine.getSession(session.id, alice), 'UNKNOWN_SESSION');
      await expectCode(engine.getImage({ kind: 'synthetic', id: synthetic }, 'full', alice), 'UNKNOWN_IMAGE');
      await engine.deleteSession(session.id, alice);
    });

    it('ingests given files under their ids and attributes, filters rounds by them, and removes images', async () => {
      const tagged = `${archive}-tagged`;
      await mkdir(stagingDir, { recursive: true });
      const dir = await mkdtemp(path.join(stagingDir, 'items-'));
      try {
        const items = await Promise.all(
          Array.from({ length: 12 }, async (_, i) => {
            const file = path.join(dir, `item-${i}.png`);
            await writeFile(file, (await encodeImage(await renderScene(sceneAt(7, i)))).bytes);
            return { path: file, id: `tag-${i}`, attributes: { channel: i % 3 === 0 ? 'a' : 'b', message: `m${i}` } };
          }),
        );
        expect(await engine.ingest({ archive: tagged, items, embedder: 'scenes' })).toMatchObject({ added: 12, duplicates: 0, skipped: [] });
        expect(await engine.ingest({ archive: tagged, items: items.slice(0, 3) })).toMatchObject({ added: 0, duplicates: 3 });

        const session = await engine.startSession({ archive: tagged, strategy: 'text', seed: 3 });
        const open = await engine.runRound(session.id, { query: QUERY });
        expect(open.hits).toHaveLength(10);
        for (const hit of open.hits) expect(hit.attributes).toEqual(items.find((item) => item.id === hit.id)?.attributes);
        const onlyA = await engine.runRound(session.id, { query: QUERY, allow: { channel: ['a'] } });
        expect(onlyA.hits.map((h) => h.id).sort()).toEqual(['tag-0', 'tag-3', 'tag-6', 'tag-9']);
        expect((await engine.runRound(session.id, { query: QUERY, allow: { channel: [] } })).hits).toEqual([]);
        expect((await engine.runRound(session.id, { query: QUERY, allow: { author: ['a'] } })).hits).toEqual([]);

        const manifest = await engine.removeImages(tagged, ['tag-0', 'tag-3', 'never-there']);
        expect(manifest.count).toBe(10);
        const after = await engine.runRound(session.id, { query: QUERY, allow: { channel: ['a'] } });
        expect(after.hits.map((h) => h.id).sort()).toEqual(['tag-6', 'tag-9']);
        await expectCode(engine.getImage({ kind: 'archive', archive: tagged, id: 'tag-0' }), 'UNKNOWN_IMAGE');
        expect((await engine.removeImages(tagged, ['tag-0'])).count).toBe(10);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('does not run a round whose signal is already aborted', async () => {
      const session = await engine.startSession({ archive, strategy: 'text', seed: 1 });
      const controller = new AbortController();
      controller.abort(new DOMException('stop', 'AbortError'));
      await expect(engine.runRound(session.id, { query: QUERY }, { signal: controller.signal })).rejects.toThrow('stop');
      expect((await engine.getSession(session.id)).rounds).toHaveLength(0);
    });
  });
}

function checkFeedback(strategy: StrategyName, round: Round): void {
  const feedback = round.feedback;
  switch (strategy) {
    case 'generative':
    case 'hybrid':
      expect(feedback.kind).toBe('synthetic');
      break;
    case 'text':
      expect(feedback).toEqual({ kind: 'none' });
      break;
    case 'prediction':
      expect(feedback).toEqual({ kind: 'top1', imageId: round.hits[0]?.id });
      break;
    case 'verbal':
      expect(feedback.kind).toBe('question');
      break;
  }
}
