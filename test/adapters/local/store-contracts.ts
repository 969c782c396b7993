import { expect, it } from 'vitest';
import { encodeImage } from '../../../core/images/encode.js';
import type { EncodedImage, ImageMime } from '../../../core/images/raw-image.js';
import { isMirageError } from '../../../core/errors.js';
import type { BlobStore } from '../../../core/ports/blob-store.js';
import type { SessionStore } from '../../../core/ports/session-store.js';
import type { Session } from '../../../core/session/session.js';

/**
 * The behaviour every SessionStore and BlobStore must share, run against the file stores and
 * the memory stores alike so that tests on the memory stores stand for production.
 */

export const TRAVERSING_IDS = ['../escape', '../../etc/passwd', 'a/b', '.hidden', '', 'x'.repeat(129), 'a b'];

async function codeOf(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (e) {
    if (isMirageError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a MirageError, but it succeeded');
}

export function session(id: string, query = 'a red boat'): Session {
  return {
    id,
    archive: 'photos',
    strategy: 'generative',
    k: 10,
    samples: 1,
    seed: 42,
    options: {
      excludeRejected: true,
      rocchio: { alpha: 1, beta: 0.75, gamma: 0.15 },
      hybrid: { early: [0.2, 0.8], late: [0.5, 0.5] },
      verbalCandidates: 5,
    },
    status: 'active',
    rounds: [
      {
        index: 0,
        query,
        closerTo: ['img-1'],
        notThese: [],
        hits: [{ id: 'img-1', score: 0.9, rank: 0, caption: 'a boat' }],
        feedback: { kind: 'synthetic', images: [{ id: `${id}-r0-s0`, seed: 7, interpretation: { colour: 'red' } }] },
        timings: { generate: 1, embed: 2, search: 3, total: 6 },
        queryVector: 'AACAPw==',
        createdAt: '2024-01-02T03:04:05.000Z',
      },
    ],
    createdAt: '2024-01-02T03:04:05.000Z',
    updatedAt: '2024-01-02T03:04:05.000Z',
  };
}

export function sessionStoreContract(make: () => Promise<SessionStore> | SessionStore): void {
  it('returns what was put, and undefined for an unknown id', async () => {
    const store = await make();
    const s = session('6f1c2b9e-0d1a-4c57-9f5e-0123456789ab');
    await store.put(s);
    expect(await store.get(s.id)).toEqual(s);
    expect(await store.get('never-stored')).toBeUndefined();
  });

  it('replaces a session on a second put', async () => {
    const store = await make();
    await store.put(session('s1', 'first'));
    await store.put(session('s1', 'second'));
    expect((await store.get('s1'))?.rounds[0]?.query).toBe('second');
  });

  it('deep-copies: changing a put or a got object does not change what is stored', async () => {
    const store = await make();
    const s = session('s1');
    await store.put(s);
    (s.rounds[0]?.closerTo as string[]).push('mutated-after-put');
    const got = await store.get('s1');
    (got?.rounds[0]?.closerTo as string[]).push('mutated-after-get');
    (got as { status: string }).status = 'ended';
    expect(await store.get('s1')).toEqual(session('s1'));
  });

  it.each(TRAVERSING_IDS)('rejects the id %j with INVALID_INPUT', async (id) => {
    const store = await make();
    expect(await codeOf(() => store.get(id))).toBe('INVALID_INPUT');
    expect(await codeOf(() => store.put(session(id)))).toBe('INVALID_INPUT');
  });

  it('rejects a session JSON cannot hold', async () => {
    const store = await make();
    const s = { ...session('s1'), seed: 1n } as unknown as Session;
    expect(await codeOf(() => store.put(s))).toBe('INVALID_INPUT');
    expect(await store.get('s1')).toBeUndefined();
  });
}

export async function encoded(mime: ImageMime, seed: number): Promise<EncodedImage> {
  const data = new Uint8Array(10 * 6 * 3).map((_, i) => (i * 37 + seed * 101) % 256);
  return encodeImage({ data, width: 10, height: 6 }, { mime });
}

export function blobStoreContract(make: () => Promise<BlobStore> | BlobStore): void {
  it.each(['image/png', 'image/jpeg', 'image/webp'] as const)('returns a %s blob as it was put', async (mime) => {
    const store = await make();
    const image = await encoded(mime, 1);
    await store.put('s1-r0-s0', image);
    expect(await store.get('s1-r0-s0')).toEqual({ bytes: image.bytes, mime, width: 10, height: 6 });
    expect(await store.get('s1-r0-s1')).toBeUndefined();
  });

  it('replaces a blob, also with one of another format', async () => {
    const store = await make();
    await store.put('blob', await encoded('image/png', 1));
    const jpeg = await encoded('image/jpeg', 2);
    await store.put('blob', jpeg);
    expect(await store.get('blob')).toEqual(jpeg);
  });

  it('copies bytes: changing a put or a got buffer does not change what is stored', async () => {
    const store = await make();
    const image = await encoded('image/png', 3);
    const original = Buffer.from(image.bytes);
    await store.put('blob', image);
    image.bytes[20] = (image.bytes[20] ?? 0) ^ 0xff;
    const got = await store.get('blob');
    got?.bytes.fill(0);
    expect((await store.get('blob'))?.bytes).toEqual(original);
  });

  it.each(TRAVERSING_IDS)('rejects the id %j with INVALID_INPUT', async (id) => {
    const store = await make();
    expect(await codeOf(async () => store.get(id))).toBe('INVALID_INPUT');
    expect(await codeOf(async () => store.put(id, await encoded('image/png', 1)))).toBe('INVALID_INPUT');
  });

  it('rejects bytes that do not match their mime', async () => {
    const store = await make();
    const png = await encoded('image/png', 1);
    expect(await codeOf(() => store.put('blob', { ...png, mime: 'image/webp' }))).toBe('INVALID_INPUT');
    expect(await codeOf(() => store.put('blob', { ...png, bytes: Buffer.from('not an image') }))).toBe('INVALID_INPUT');
    expect(await store.get('blob')).toBeUndefined();
  });
}
