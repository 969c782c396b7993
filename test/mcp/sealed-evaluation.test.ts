import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveStoreBrowser, type ArchiveBrowser } from '../../mcp-server/archive-browser.js';
import { EvaluationSeals } from '../../mcp-server/evaluation-seals.js';
import { TEXT_TOWER_SEEDS } from '../../core/scenes/text-tower/training-seeds.js';
import type { MirageMcpOptions } from '../../mcp-server/options.js';
import { connectInMemory } from '../../mcp-server/transports/in-memory.js';
import { archiveImageUri } from '../../mcp-server/uris.js';
import { failed, imagesOf, ok, structured, textOf } from './results.js';
import { ARCHIVE, createTestWorld, type TestWorld } from './world.js';

/**
 * Sealed evaluations, tried the way an outside agent would cheat: matching the attached target
 * against listed images, steering with the target's id without having been shown it, probing
 * with other sessions, choosing the target or replaying a seed.
 */
interface Started {
  readonly session: { readonly id: string };
  readonly scored: boolean;
}
interface RoundOut {
  readonly round: { readonly hits: { readonly id: string; readonly caption?: string }[] };
}
interface FinishOut {
  readonly targetId: string;
  readonly scored: boolean;
  readonly ranks: number[];
}

const TARGET = 'sc-0000077';

let world: TestWorld;
let browser: ArchiveBrowser;
const clients: Client[] = [];

async function connect(options: MirageMcpOptions = {}): Promise<Client> {
  const client = await connectInMemory(world.runtime.engine, { browser, ...options });
  clients.push(client);
  return client;
}

/** A client whose evaluations the harness assigns (target TARGET), as the mcp-agent searcher's are. */
const evaluatorClient = (options: MirageMcpOptions = {}) =>
  connect({ assignEvaluation: () => Promise.resolve({ targetId: TARGET, seed: 3 }), ...options });

const call = (c: Client, name: string, args: Record<string, unknown> = {}) => c.callTool({ name, arguments: args });

async function startEvaluation(client: Client, args: Record<string, unknown> = {}): Promise<Started> {
  return structured<Started>(ok(await call(client, 'start_evaluation', { archive: ARCHIVE, rounds: 2, strategy: 'text', k: 5, ...args })));
}

/** A first description that does not put the target among the 5 hits shown (checked where it matters). */
const OFF_TARGET = 'a dark empty street at night';

beforeAll(async () => {
  world = await createTestWorld();
  browser = archiveStoreBrowser(world.runtime.archives);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await world?.dispose();
});

describe('while an evaluation is open', () => {
  it('serves only the images it showed: no show_image, resource or listing of anything else, no captions', async () => {
    const client = await evaluatorClient();
    const before = await client.listResources();
    expect(before.resources.length).toBeGreaterThan(0);
    const { session, scored } = await startEvaluation(client);
    expect(scored).toBe(true);

    // The attack of the review: compare the attached target with show_image of listed ids.
    expect((await client.listResources()).resources).toEqual([]);
    expect(failed(await call(client, 'show_image', { archive: ARCHIVE, id: TARGET }))).toMatch(
      new RegExp(`Image "${TARGET}" was not shown in evaluation session "${session.id}"`),
    );
    await expect(client.readResource({ uri: archiveImageUri(ARCHIVE, TARGET) })).rejects.toThrow(/was not shown in evaluation session/);

    const round = structured<RoundOut>(ok(await call(client, 'search_round', { session: session.id, description: OFF_TARGET })));
    const shown = round.round.hits.map((h) => h.id);
    expect(shown).toHaveLength(5);
    expect(round.round.hits.filter((h) => h.caption !== undefined)).toEqual([]);
    const notShown = (await browser.images(ARCHIVE)).ids.find((id) => !shown.includes(id) && id !== TARGET) ?? '';

    // What it showed can be looked at closer, without the caption; nothing else.
    const closer = ok(await call(client, 'show_image', { archive: ARCHIVE, id: shown[1] }));
    expect(imagesOf(closer)).toHaveLength(1);
    expect(structured<{ caption?: string }>(closer).caption).toBeUndefined();
    const resource = await client.readResource({ uri: archiveImageUri(ARCHIVE, shown[2] ?? '') });
    expect(resource.contents).toHaveLength(1);
    expect(failed(await call(client, 'show_image', { archive: ARCHIVE, id: notShown }))).toMatch(/was not shown in evaluation session/);

    const history = structured<RoundOut & { rounds: RoundOut['round'][] }>(ok(await call(client, 'session_history', { session: session.id })));
    expect(history.rounds.flatMap((r) => r.hits).filter((h) => h.caption !== undefined)).toEqual([]);

    const finish = structured<FinishOut>(ok(await call(client, 'finish_evaluation', { session: session.id })));
    expect(finish).toMatchObject({ targetId: TARGET, scored: true });
    // Finishing lifts the seal.
    expect((await client.listResources()).resources.length).toBeGreaterThan(0);
    expect(structured<{ caption?: string }>(ok(await call(client, 'show_image', { archive: ARCHIVE, id: TARGET }))).caption).toMatch(/\w/);
  });

  it('takes closerTo / notThese / select_result ids only when the evaluation showed them', async () => {
    const client = await evaluatorClient();
    const { session } = await startEvaluation(client);
    const first = structured<RoundOut>(ok(await call(client, 'search_round', { session: session.id, description: OFF_TARGET })));
    expect(first.round.hits.map((h) => h.id)).not.toContain(TARGET);
    for (const feedback of ['closerTo', 'notThese'] as const) {
      const refused = failed(await call(client, 'search_round', { session: session.id, description: 'a red car', [feedback]: [TARGET] }));
      expect(refused).toMatch(new RegExp(`Image "${TARGET}" was not shown in session "${session.id}"`));
    }
    expect(failed(await call(client, 'select_result', { session: session.id, result: TARGET }))).toMatch(/was not shown in session/);
    // Refused rounds were not played; feedback on shown hits, by number or by id, is taken.
    const shownId = first.round.hits[1]?.id ?? '';
    ok(await call(client, 'search_round', { session: session.id, description: 'a red car', closerTo: ['1'], notThese: [shownId] }));
    const finish = structured<FinishOut>(ok(await call(client, 'finish_evaluation', { session: session.id })));
    expect(finish.ranks).toHaveLength(2);
  });

  it('refuses every other session, a second evaluation and new searches, also on another connection of the same client', async () => {
    const seals = new EvaluationSeals();
    const client = await evaluatorClient({ seals, owner: 'mcp:alice' });
    const sameClient = await evaluatorClient({ seals, owner: 'mcp:alice' });
    const otherClient = await evaluatorClient({ seals, owner: 'mcp:bob' });
    const { session: earlier } = structured<{ session: { id: string } }>(ok(await call(client, 'start_search', { archive: ARCHIVE })));
    const { session } = await startEvaluation(client);

    const sealed = /is open: until finish_evaluation/;
    expect(failed(await call(client, 'start_search', { archive: ARCHIVE }))).toMatch(sealed);
    expect(failed(await call(client, 'search_round', { session: earlier.id, description: 'a probe' }))).toMatch(sealed);
    expect(failed(await call(client, 'session_history', { session: earlier.id }))).toMatch(sealed);
    expect(failed(await call(client, 'start_evaluation', { archive: ARCHIVE }))).toMatch(/still open/);
    expect(failed(await call(sameClient, 'start_search', { archive: ARCHIVE }))).toMatch(sealed);
    expect(failed(await call(sameClient, 'show_image', { archive: ARCHIVE, id: TARGET }))).toMatch(/was not shown in evaluation session/);
    // Another client is not affected.
    ok(await call(otherClient, 'start_search', { archive: ARCHIVE }));
    ok(await call(otherClient, 'show_image', { archive: ARCHIVE, id: TARGET }));

    // A connection that goes away with its evaluation open releases the seal for the others.
    await client.close();
    ok(await call(sameClient, 'start_search', { archive: ARCHIVE }));
    expect(session.id).toMatch(/\w/);
  });
});

describe('who chooses the target', () => {
  it('scores only server-assigned episodes and reveals no seed that would draw the target again', async () => {
    const client = await connect();
    const drawn = await startEvaluation(client);
    expect(drawn.scored).toBe(true);
    ok(await call(client, 'search_round', { session: drawn.session.id, description: 'a cat' }));
    const finish = ok(await call(client, 'finish_evaluation', { session: drawn.session.id }));
    expect(structured<FinishOut>(finish).scored).toBe(true);
    expect(structured<object>(finish)).not.toHaveProperty('seed');
    expect(textOf(finish)).not.toMatch(/seed/i);

    for (const choice of [{ target: TARGET }, { seed: 5 }]) {
      const practice = await startEvaluation(client, choice);
      expect(practice.scored, JSON.stringify(choice)).toBe(false);
      ok(await call(client, 'search_round', { session: practice.session.id, description: 'a cat' }));
      const result = structured<FinishOut>(ok(await call(client, 'finish_evaluation', { session: practice.session.id })));
      expect(result.scored).toBe(false);
    }
  });

  it('refuses a client-chosen target or seed on a server for shared evaluations', async () => {
    const client = await connect({ sharedEvaluations: true });
    for (const choice of [{ target: TARGET }, { seed: 5 }]) {
      expect(failed(await call(client, 'start_evaluation', { archive: ARCHIVE, ...choice }))).toMatch(/shared evaluations: it assigns every target and seed/);
    }
    // Refusals open nothing: the client is not sealed, and a server-drawn episode starts.
    ok(await call(client, 'start_search', { archive: ARCHIVE }));
    expect((await startEvaluation(client)).scored).toBe(true);
  });
  it('refuses to score an episode on a world the text tower was trained on', async () => {
    const trainingWorld: ArchiveBrowser = {
      images: async (name) => ({ ...(await browser.images(name)), manifest: { name, origin: { kind: 'scenes', seed: TEXT_TOWER_SEEDS.train, size: 200 } } }),
    };
    const client = await connect({ browser: trainingWorld });
    expect(failed(await call(client, 'start_evaluation', { archive: ARCHIVE, rounds: 1 }))).toMatch(/reserved for training the text tower/);
    // Nothing was opened: the same client may still search.
    ok(await call(client, 'start_search', { archive: ARCHIVE }));
  });
});
