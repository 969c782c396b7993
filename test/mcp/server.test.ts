import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOptions, Engine } from '../../core/ports/engine.js';
import type { RoundRequest } from '../../core/session/requests.js';
import { sampleTargets } from '../../core/eval/target-sampler.js';
import { contactSheetLayout } from '../../core/render/contact-sheet.js';
import type { Hit } from '../../core/session/session.js';
import { archiveStoreBrowser, type ArchiveBrowser } from '../../mcp-server/archive-browser.js';
import { connectInMemory } from '../../mcp-server/transports/in-memory.js';
import type { MirageMcpOptions } from '../../mcp-server/options.js';
import { failed, imagesOf, linksOf, ok, referenceMetrics, structured, textOf } from './results.js';
import { ARCHIVE, createTestWorld, WORLD_SIZE, type TestWorld } from './world.js';
import { ingestImages } from '../../core/ingest/ingest-images.js';
import { LOCAL_ACCESS } from '../../core/ingest/ingest-access.js';
import { createScenesBundle } from '../../core/scenes/scenes-bundle.js';
import { hasGpsBlock, phonePhoto, PHOTO_OWNER, tempDir, writeBytes } from '../ingest/image-files.js';

interface SessionOut {
  readonly session: { readonly id: string; readonly rounds: number; readonly status: string; readonly evaluation: boolean };
}
interface HitOut extends Omit<Hit, 'caption'> {
  readonly number: number;
  readonly caption?: string;
  readonly uri: string;
}
interface RoundOut extends SessionOut {
  readonly round: {
    readonly round: number;
    readonly description: string;
    readonly closerTo: string[];
    readonly notThese: string[];
    readonly feedback: { readonly kind: string; readonly images?: { id: string; uri: string }[] };
    readonly hits: HitOut[];
  };
  readonly evaluation?: { readonly roundsLeft: number };
}
interface FinishOut extends SessionOut {
  readonly targetId: string;
  readonly scored: boolean;
  readonly roundsPlanned: number;
  readonly roundsPlayed: number;
  readonly ranks: number[];
  readonly bri: number | null;
  readonly hits: { k: number; cumulative: number[]; firstHitRound: number | null }[];
  readonly selected?: { id: string; round: number; correct: boolean };
}

let world: TestWorld;
let browser: ArchiveBrowser;
let client: Client;
const clients: Client[] = [];

async function connect(options: MirageMcpOptions = {}, engine?: Engine): Promise<Client> {
  const c = await connectInMemory(engine ?? world.runtime.engine, { browser, ...options });
  clients.push(c);
  return c;
}

const call = (c: Client, name: string, args: Record<string, unknown> = {}) => c.callTool({ name, arguments: args });

async function captionOf(id: string): Promise<string> {
  const caption = (await browser.images(ARCHIVE)).caption(id);
  if (!caption) throw new Error(`no caption for ${id}`);
  return caption;
}

/** Mean absolute difference of two images' RGB pixels at the smaller one's size. */
async function pixelDistance(a: Buffer, b: Buffer): Promise<number> {
  const meta = await sharp(a).metadata();
  const size = { width: meta.width ?? 1, height: meta.height ?? 1 };
  const raw = (bytes: Buffer) => sharp(bytes).removeAlpha().resize(size.width, size.height, { fit: 'fill' }).raw().toBuffer();
  const [x, y] = await Promise.all([raw(a), raw(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs((x[i] ?? 0) - (y[i] ?? 0));
  return sum / x.length;
}

beforeAll(async () => {
  world = await createTestWorld();
  browser = archiveStoreBrowser(world.runtime.archives);
  client = await connect();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await world?.dispose();
});

describe('tool list', () => {
  it('offers the eight tools, each with input and output schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['finish_evaluation', 'list_archives', 'search_round', 'select_result', 'session_history', 'show_image', 'start_evaluation', 'start_search'].sort(),
    );
    for (const tool of tools) {
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      expect(tool.inputSchema.type, tool.name).toBe('object');
    }
    const round = tools.find((t) => t.name === 'search_round');
    expect(round?.inputSchema.required).toEqual(['session', 'description']);
  });

  it('gives every tool a title and all four behaviour hints, read-only exactly for the lookups', async () => {
    const { tools } = await client.listTools();
    for (const tool of tools) {
      expect(tool.title, tool.name).toMatch(/\w/);
      const hints = tool.annotations ?? {};
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        expect(typeof hints[hint], `${tool.name}.${hint}`).toBe('boolean');
      }
      expect(hints.openWorldHint, tool.name).toBe(false);
    }
    const readOnly = tools.filter((t) => t.annotations?.readOnlyHint).map((t) => t.name).sort();
    expect(readOnly).toEqual(['list_archives', 'session_history', 'show_image']);
  });

  it('lists the archive', async () => {
    const result = ok(await call(client, 'list_archives'));
    expect(structured<{ archives: unknown[] }>(result).archives).toEqual([
      expect.objectContaining({ name: ARCHIVE, images: WORLD_SIZE, embedder: 'scenes', origin: 'scenes' }),
    ]);
    expect(textOf(result)).toMatch(new RegExp(`^${ARCHIVE}\\s+${WORLD_SIZE}\\b`, 'm'));
  });
});

describe('evaluation episode', () => {
  it('plays a whole episode assigned by the evaluator: hidden target, ranks recorded per round, metrics as defined', async () => {
    const targetId = 'sc-0000042';
    const rounds = 2;
    // The harness's way: the assignment reaches the server out of band, the call names neither target nor seed.
    const client = await connect({ assignEvaluation: () => Promise.resolve({ targetId, seed: 7 }) });
    const started = ok(await call(client, 'start_evaluation', { archive: ARCHIVE, rounds, strategy: 'generative' }));
    const { session, roundsPlanned, scored } = structured<SessionOut & { roundsPlanned: number; scored: boolean }>(started);
    expect(roundsPlanned).toBe(rounds + 1);
    expect(scored).toBe(true);
    expect(session.evaluation).toBe(true);
    // The searcher gets the picture, never the id.
    expect(JSON.stringify(started)).not.toContain(targetId);
    const [targetBlock] = imagesOf(started);
    const original = await world.runtime.engine.getImage({ kind: 'archive', archive: ARCHIVE, id: targetId });
    expect(targetBlock?.mimeType).toBe('image/jpeg');
    expect(await pixelDistance(targetBlock?.bytes ?? Buffer.alloc(0), original.bytes)).toBeLessThan(6);
    const other = await world.runtime.engine.getImage({ kind: 'archive', archive: ARCHIVE, id: 'sc-0000043' });
    expect(await pixelDistance(targetBlock?.bytes ?? Buffer.alloc(0), other.bytes)).toBeGreaterThan(10);
    const [targetLink] = linksOf(started);
    const full = await client.readResource({ uri: targetLink?.uri ?? '' });
    const fullBlob = full.contents[0] && 'blob' in full.contents[0] ? Buffer.from(full.contents[0].blob, 'base64') : Buffer.alloc(0);
    // Re-encoded (JPEG, no file metadata) at the original's size, which fits the resource cap.
    expect(full.contents[0]?.mimeType).toBe('image/jpeg');
    expect(await sharp(fullBlob).metadata()).toMatchObject({ width: original.width, height: original.height });
    expect(await pixelDistance(fullBlob, original.bytes)).toBeLessThan(3);

    const caption = await captionOf(targetId);
    const descriptions = ['a picture outdoors', caption.split(',')[0] ?? caption, caption];
    const hitsPerRound: HitOut[][] = [];
    for (const [t, description] of descriptions.entries()) {
      const result = ok(await call(client, 'search_round', { session: session.id, description }));
      const out = structured<RoundOut>(result);
      expect(out.round.round).toBe(t + 1);
      expect(out.evaluation).toEqual({ roundsLeft: rounds - t });
      hitsPerRound.push(out.round.hits);
    }
    expect(failed(await call(client, 'search_round', { session: session.id, description: 'one more' }))).toMatch(/used all 3 of its rounds/);

    const finish = structured<FinishOut>(ok(await call(client, 'finish_evaluation', { session: session.id })));
    expect(finish.targetId).toBe(targetId);
    expect(finish.scored).toBe(true);
    expect(finish).not.toHaveProperty('seed');
    expect(finish.roundsPlayed).toBe(3);
    expect(finish.ranks).toHaveLength(3);
    // Each recorded rank agrees with what the round showed: the hit's rank when listed, beyond k otherwise.
    finish.ranks.forEach((rank, t) => {
      const shown = hitsPerRound[t]?.find((h) => h.id === targetId);
      if (shown) expect(rank).toBe(shown.rank);
      else expect(rank).toBeGreaterThanOrEqual(10);
    });
    // Its own caption finds it.
    expect(finish.ranks[2]).toBeLessThan(10);
    for (const k of [1, 5, 10]) {
      const reference = referenceMetrics(finish.ranks, k);
      const reported = finish.hits.find((h) => h.k === k);
      expect(reported?.cumulative).toEqual(reference.cumulative);
      const first = reference.cumulative.indexOf(1);
      expect(reported?.firstHitRound).toBe(first === -1 ? null : first + 1);
    }
    expect(finish.bri).toBeCloseTo(referenceMetrics(finish.ranks, 1).bri, 10);
    // The evaluation's captions stay hidden: the searcher works from the pixels it was shown.
    expect(hitsPerRound.flat().filter((h) => h.caption !== undefined)).toEqual([]);
    expect(failed(await call(client, 'finish_evaluation', { session: session.id }))).toMatch(/finished/);
    expect(failed(await call(client, 'search_round', { session: session.id, description: 'again' }))).toMatch(/finished/);
  });

  it('runs a practice episode with a client-chosen seed, drawn as `mirage eval --seed` does, and never scores it', async () => {
    const seed = 12345;
    const started = ok(await call(client, 'start_evaluation', { archive: ARCHIVE, rounds: 0, seed, strategy: 'text' }));
    const { session, scored } = structured<SessionOut & { scored: boolean }>(started);
    expect(scored).toBe(false);
    expect(textOf(started)).toMatch(/Practice episode/);
    ok(await call(client, 'search_round', { session: session.id, description: 'a dog on grass' }));
    const finish = structured<FinishOut>(ok(await call(client, 'finish_evaluation', { session: session.id })));
    const ids = (await browser.images(ARCHIVE)).ids;
    expect(finish.targetId).toBe(sampleTargets(ids, 1, seed)[0]);
    expect(finish.scored).toBe(false);
    expect(finish.ranks).toEqual([await world.runtime.engine.rankOf(session.id, 0, finish.targetId)]);
  });

  it('abandons an episode finished before any round, and refuses normal sessions', async () => {
    const { session } = structured<SessionOut>(ok(await call(client, 'start_evaluation', { archive: ARCHIVE, target: 'sc-0000001' })));
    const abandoned = ok(await call(client, 'finish_evaluation', { session: session.id }));
    expect(textOf(abandoned)).toMatch(/abandoned before any round/);
    expect(structured<FinishOut>(abandoned)).toMatchObject({ scored: false, roundsPlayed: 0, ranks: [], bri: null, hits: [] });
    expect(failed(await call(client, 'search_round', { session: session.id, description: 'late' }))).toMatch(/finished/);
    const search = structured<SessionOut>(ok(await call(client, 'start_search', { archive: ARCHIVE })));
    expect(failed(await call(client, 'finish_evaluation', { session: search.session.id }))).toMatch(/not an evaluation/);
  });
});

describe('search', () => {
  it('runs rounds with synthetic images, a numbered contact sheet, hit links and hit references', async () => {
    const { session } = structured<SessionOut>(ok(await call(client, 'start_search', { archive: ARCHIVE, k: 10, seed: 3 })));
    const first = ok(await call(client, 'search_round', { session: session.id, description: 'a red car at night' }));
    const out = structured<RoundOut>(first);
    expect(out.round.hits.map((h) => h.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(out.round.feedback.kind).toBe('synthetic');
    const [synthetic, sheet] = imagesOf(first);
    expect((await sharp(synthetic?.bytes).metadata()).format).toBe('jpeg');
    const sheetMeta = await sharp(sheet?.bytes).metadata();
    expect(sheetMeta.width).toBe(contactSheetLayout(10).width);
    expect(sheetMeta.height).toBe(contactSheetLayout(10, { title: 'x' }).height);
    expect(textOf(first)).toContain(`#1  ${out.round.hits[0]?.score.toFixed(3)}  ${out.round.hits[0]?.id}`);

    const links = linksOf(first).map((l) => l.uri);
    const syntheticUri = out.round.feedback.images?.[0]?.uri ?? '';
    expect(links).toEqual([syntheticUri, ...out.round.hits.map((h) => h.uri)]);
    const hitImage = await client.readResource({ uri: out.round.hits[2]?.uri ?? '' });
    const stored = await world.runtime.engine.getImage({ kind: 'archive', archive: ARCHIVE, id: out.round.hits[2]?.id ?? '' });
    const hitBlob = hitImage.contents[0] && 'blob' in hitImage.contents[0] ? Buffer.from(hitImage.contents[0].blob, 'base64') : Buffer.alloc(0);
    expect(hitImage.contents[0]?.mimeType).toBe('image/jpeg');
    expect(await pixelDistance(hitBlob, stored.bytes)).toBeLessThan(3);
    expect((await client.readResource({ uri: syntheticUri })).contents[0]).toMatchObject({ mimeType: 'image/jpeg' });

    const second = structured<RoundOut>(
      ok(await call(client, 'search_round', { session: session.id, description: 'a red car at night under trees', closerTo: ['2'], notThese: ['1'] })),
    );
    expect(second.round.closerTo).toEqual([out.round.hits[1]?.id]);
    expect(second.round.notThese).toEqual([out.round.hits[0]?.id]);
    expect(second.round.hits.map((h) => h.id)).not.toContain(out.round.hits[0]?.id);

    const shown = ok(await call(client, 'show_image', { archive: ARCHIVE, id: second.round.hits[0]?.id, size: 'thumb' }));
    expect(structured<{ caption: string }>(shown).caption).toBe(await captionOf(second.round.hits[0]?.id ?? ''));
    expect(imagesOf(shown)).toHaveLength(1);

    const history = structured<{ rounds: RoundOut['round'][] }>(ok(await call(client, 'session_history', { session: session.id })));
    expect(history.rounds.map((r) => r.description)).toEqual(['a red car at night', 'a red car at night under trees']);

    const selected = structured<SessionOut & { selected: { id: string; round: number } }>(
      ok(await call(client, 'select_result', { session: session.id, result: '3' })),
    );
    expect(selected.selected).toEqual({ id: second.round.hits[2]?.id, round: 2 });
    expect(selected.session.status).toBe('found');
    expect(failed(await call(client, 'search_round', { session: session.id, description: 'more' }))).toMatch(/has ended/);
  });

  it('keeps every image block under the configured cap', async () => {
    const cap = 8 * 1024;
    const small = await connect({ maxImageBytes: cap });
    const { session } = structured<SessionOut>(ok(await call(small, 'start_search', { archive: ARCHIVE, k: 20, samples: 2 })));
    const result = ok(await call(small, 'search_round', { session: session.id, description: 'two dogs in the snow' }));
    const images = imagesOf(result);
    expect(images).toHaveLength(3);
    for (const image of images) {
      expect(image.bytes.length).toBeLessThanOrEqual(cap);
      expect((await sharp(image.bytes).metadata()).format).toBe('jpeg');
    }
  });

  it('gives isError results with clear messages for bad arguments, and keeps serving', async () => {
    const { session } = structured<SessionOut>(ok(await call(client, 'start_search', { archive: ARCHIVE })));
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['search_round', { session: 'no-such-session', description: 'a cat' }, /Unknown session "no-such-session"/],
      ['start_search', { archive: 'nope' }, /Unknown archive "nope"/],
      ['start_search', { archive: 'Bad Name!' }, /archive name may use lowercase/],
      ['search_round', { session: session.id, description: '   ' }, /description is empty/],
      ['search_round', { session: session.id, description: 'x'.repeat(1001) }, /longer than 1000 characters/],
      ['start_search', { archive: ARCHIVE, k: 0 }, /expected number to be >=1 at k/],
      ['start_search', { archive: ARCHIVE, k: 101 }, /expected number to be <=100 at k/],
      ['start_search', { archive: ARCHIVE, strategy: 'psychic' }, /expected one of "generative".* at strategy/],
      ['show_image', { archive: ARCHIVE, id: 'sc-9999999' }, /has no image "sc-9999999"/],
      ['search_round', { session: session.id, description: 'a cat', closerTo: ['4'] }, /no rounds yet/],
      ['select_result', { session: session.id, result: 'sc-9999999' }, /not in archive/],
      ['start_evaluation', { archive: ARCHIVE, target: 'sc-9999999' }, /has no image "sc-9999999"/],
    ];
    for (const [tool, args, message] of cases) {
      expect(failed(await call(client, tool, args)), `${tool} ${JSON.stringify(args).slice(0, 60)}`).toMatch(message);
    }
    // The session survived all of that.
    ok(await call(client, 'search_round', { session: session.id, description: 'a cat' }));
    ok(await call(client, 'list_archives'));
  });

  it("does not let one client use another client's sessions or synthetic images", async () => {
    const other = await connect();
    const { session } = structured<SessionOut>(ok(await call(client, 'start_search', { archive: ARCHIVE })));
    const round = structured<RoundOut>(ok(await call(client, 'search_round', { session: session.id, description: 'a boat' })));
    for (const tool of ['search_round', 'session_history', 'select_result']) {
      const message = failed(await call(other, tool, { session: session.id, description: 'a boat', result: '1' }));
      expect(message).toContain(`Unknown session "${session.id}"`);
    }
    await expect(other.readResource({ uri: round.round.feedback.images?.[0]?.uri ?? '' })).rejects.toThrow(/not shown to this client/);
  });
});

describe('progress and cancellation', () => {
  it('sends increasing progress notifications while a round runs', async () => {
    const { session } = structured<SessionOut>(ok(await call(client, 'start_search', { archive: ARCHIVE })));
    const seen: Progress[] = [];
    ok(
      await client.callTool({ name: 'search_round', arguments: { session: session.id, description: 'a yellow balloon' } }, undefined, {
        onprogress: (p) => seen.push(p),
      }),
    );
    expect(seen.length).toBeGreaterThanOrEqual(3);
    const values = seen.map((p) => p.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
    expect(seen.every((p) => p.total === 4 && typeof p.message === 'string')).toBe(true);
  });

  it('stops a cancelled round and leaves the session usable', async () => {
    const engine = world.runtime.engine;
    let gated = true;
    let engineSawAbort = false;
    // Holds the first round until it is cancelled, then lets the real engine run it with the aborted signal.
    const gate: Engine = new Proxy(engine, {
      get(target, prop) {
        if (prop === 'runRound') {
          return async (id: string, request: RoundRequest, options: CallOptions = {}) => {
            if (gated) {
              gated = false;
              options.onProgress?.({ stage: 'generate', step: 0, total: 1 });
              // Bounded, so that a server that never passes the signal fails the test instead of hanging it.
              await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, 5_000);
                if (options.signal?.aborted) resolve();
                options.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
              });
              engineSawAbort = options.signal?.aborted === true;
            }
            return engine.runRound(id, request, options);
          };
        }
        const value: unknown = Reflect.get(target, prop);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const gatedClient = await connect({}, gate);
    const { session } = structured<SessionOut>(ok(await call(gatedClient, 'start_search', { archive: ARCHIVE })));
    const controller = new AbortController();
    const cancelled = gatedClient.callTool({ name: 'search_round', arguments: { session: session.id, description: 'a cancelled round' } }, undefined, {
      signal: controller.signal,
      onprogress: () => controller.abort(new Error('user cancelled')),
    });
    await expect(cancelled).rejects.toThrow(/cancelled/);
    const next = structured<RoundOut>(ok(await call(gatedClient, 'search_round', { session: session.id, description: 'a kept round' })));
    expect(engineSawAbort).toBe(true);
    expect(next.round.round).toBe(1);
    expect((await engine.getSession(session.id)).rounds.map((r) => r.query)).toEqual(['a kept round']);
  });
});

describe('resources and prompt', () => {
  it('lists archive images in pages that cover the archive once', async () => {
    const paged = await connect({ listPageSize: 64 });
    const uris: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await paged.listResources(cursor ? { cursor } : {});
      uris.push(...page.resources.map((r) => r.uri));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(WORLD_SIZE / 64));
    expect(new Set(uris).size).toBe(WORLD_SIZE);
    expect(uris[0]).toBe(`mirage://archives/${ARCHIVE}/images/sc-0000000`);
    await expect(paged.listResources({ cursor: 'garbage' })).rejects.toThrow(/cursor/);
    const bigOnly = await connect({ listMaxImages: WORLD_SIZE - 1 });
    expect((await bigOnly.listResources()).resources).toEqual([]);
    const { resourceTemplates } = await paged.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('mirage://archives/{archive}/images/{id}');
  });

  it('explains the search loop in the mental-image-searcher prompt', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain('mental-image-searcher');
    const prompt = await client.getPrompt({ name: 'mental-image-searcher', arguments: { archive: ARCHIVE, rounds: '4' } });
    const text = prompt.messages.map((m) => (m.content.type === 'text' ? m.content.text : '')).join('\n');
    expect(text).toContain(`The archive is "${ARCHIVE}"`);
    expect(text).toContain('You have 4 search rounds');
    expect(text).toMatch(/search_round[\s\S]*synthetic image[\s\S]*select_result/);
  });
});

describe('images served from a photo archive', () => {
  const PHOTOS = 'photos';
  let photoId: string;
  let stored: Buffer;

  beforeAll(async () => {
    const folder = await tempDir('mirage-mcp-photos-');
    // Upright, so the archive keeps the camera file as it is, metadata and all.
    stored = await writeBytes(path.join(folder, 'holiday.jpg'), await phonePhoto(3000, 2400)).then(Buffer.from);
    await ingestImages({ store: world.runtime.archives, bundle: createScenesBundle(), archive: PHOTOS, source: folder, access: LOCAL_ACCESS });
    photoId = [...(await world.runtime.archives.open(PHOTOS)).records()][0]?.id ?? '';
    await rm(folder, { recursive: true, force: true });
  });

  const withoutMetadata = async (bytes: Buffer) => {
    const meta = await sharp(bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(bytes.includes(PHOTO_OWNER)).toBe(false);
    return meta;
  };

  it('keeps the original on disk, and serves show_image and the resource re-encoded within their caps, without metadata', async () => {
    const original = await world.runtime.engine.getImage({ kind: 'archive', archive: PHOTOS, id: photoId });
    expect(original.bytes.equals(stored)).toBe(true);
    expect(hasGpsBlock((await sharp(original.bytes).metadata()).exif)).toBe(true);
    expect(original.bytes.length).toBeGreaterThan(2 * 1024 * 1024);

    const capped = await connect({ maxImageBytes: 64 * 1024, maxResourceBytes: 512 * 1024 });
    const shown = ok(await call(capped, 'show_image', { archive: PHOTOS, id: photoId }));
    expect(structured<{ width: number; height: number }>(shown)).toMatchObject({ width: 3000, height: 2400 });
    const [block] = imagesOf(shown);
    expect(block?.bytes.length).toBeLessThanOrEqual(64 * 1024);
    await withoutMetadata(block?.bytes ?? Buffer.alloc(0));

    const [link] = linksOf(shown);
    const resource = (await capped.readResource({ uri: link?.uri ?? '' })).contents[0];
    const blob = resource && 'blob' in resource ? Buffer.from(resource.blob, 'base64') : Buffer.alloc(0);
    expect(resource?.mimeType).toBe('image/jpeg');
    expect(blob.length).toBeLessThanOrEqual(512 * 1024);
    const meta = await withoutMetadata(blob);
    expect((meta.width ?? 0) / (meta.height ?? 1)).toBeCloseTo(3000 / 2400, 2);
  });
});
