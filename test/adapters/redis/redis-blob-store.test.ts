import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { RedisBlobStore } from '../../../core/adapters/redis/redis-blob-store.js';
import { encodeImage } from '../../../core/images/encode.js';
import { useTestRedis } from './redis-fixture.js';

const { redis, keys } = useTestRedis();
const store = () => new RedisBlobStore({ redis: redis(), keys, ttlSeconds: 300 });

async function image(seed: number, mime: 'image/png' | 'image/jpeg' = 'image/png') {
  const data = new Uint8Array(24 * 16 * 3).map((_, i) => (i * seed) % 251);
  return encodeImage({ data, width: 24, height: 16 }, { mime });
}

describe('RedisBlobStore', () => {
  it('keeps bytes, mime and size, with a TTL on every key', async () => {
    const png = await image(3);
    await store().put('synth-1', png);
    const back = await store().get('synth-1');
    expect(back?.bytes.equals(png.bytes)).toBe(true);
    expect(back).toMatchObject({ mime: 'image/png', width: 24, height: 16 });
    expect((await sharp(back?.bytes).metadata()).width).toBe(24);
    const ttl = await redis().ttl(keys.blob('synth-1'));
    expect(ttl).toBeGreaterThan(290);
    await store().put('synth-short', png, 5);
    expect(await redis().ttl(keys.blob('synth-short'))).toBeLessThanOrEqual(5);
  });

  it('replaces an image put again, reads an expired or missing one as undefined', async () => {
    await store().put('again', await image(1));
    const jpeg = await image(2, 'image/jpeg');
    await store().put('again', jpeg);
    expect((await store().get('again'))?.mime).toBe('image/jpeg');
    await redis().pexpire(keys.blob('again'), 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await store().get('again')).toBeUndefined();
    expect(await store().get('never')).toBeUndefined();
  });

  it('hands an image over exactly once with take()', async () => {
    await store().put('transfer-1', await image(4));
    expect((await store().take('transfer-1'))?.width).toBe(24);
    expect(await store().take('transfer-1')).toBeUndefined();
    expect(await redis().exists(keys.blob('transfer-1'))).toBe(0);
  });

  it('refuses bad ids and bytes that are not the mime they claim', async () => {
    const png = await image(5);
    await expect(store().put('../x', png)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(store().put('fake', { ...png, mime: 'image/jpeg' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
