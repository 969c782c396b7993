import type { Redis } from 'ioredis';
import type { ExpiringBlobStore } from '../../ports/worker-stores.js';
import type { EncodedImage } from '../../images/raw-image.js';
import { assertValidBlob } from '../../images/blob-validation.js';
import { isImageMime } from '../../images/image-mime.js';
import type { RedisKeys } from './redis-keys.js';

export interface RedisBlobStoreOptions {
  readonly redis: Redis;
  readonly keys: RedisKeys;
  /** Lifetime of an image put without an explicit ttl. */
  readonly ttlSeconds: number;
}

const FIELDS = ['mime', 'width', 'height', 'bytes'] as const;

/**
 * Images in Redis, each a hash (mime, width, height, bytes) that expires: synthetic images
 * (for as long as a user may look back at a round), their cached thumbnails, and archive
 * images in transit from a worker to a front end (seconds). Every key has a TTL, so what Redis
 * holds is bounded by the image rate times the TTL and never grows with the number of rounds
 * ever run; an expired image reads as undefined, like one never stored.
 */
export class RedisBlobStore implements ExpiringBlobStore {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly ttlSeconds: number;

  constructor(options: RedisBlobStoreOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.ttlSeconds = options.ttlSeconds;
  }

  async put(id: string, image: EncodedImage, ttlSeconds = this.ttlSeconds): Promise<void> {
    assertValidBlob(id, image);
    const key = this.keys.blob(id);
    await this.redis
      .multi()
      .del(key)
      .hset(key, { mime: image.mime, width: image.width, height: image.height, bytes: image.bytes })
      .expire(key, ttlSeconds)
      .exec();
  }

  async get(id: string): Promise<EncodedImage | undefined> {
    assertValidBlob(id);
    return toImage(await this.redis.hmgetBuffer(this.keys.blob(id), ...FIELDS));
  }

  async delete(id: string): Promise<void> {
    assertValidBlob(id);
    await this.redis.del(this.keys.blob(id));
  }

  /** Reads and deletes in one step: for images in transit, read exactly once. */
  async take(id: string): Promise<EncodedImage | undefined> {
    assertValidBlob(id);
    const key = this.keys.blob(id);
    const replies = await this.redis.multi().hmgetBuffer(key, ...FIELDS).del(key).exec();
    const [error, fields] = replies?.[0] ?? [];
    if (error) throw error;
    return toImage(fields as (Buffer | null)[]);
  }
}

function toImage(fields: readonly (Buffer | null)[]): EncodedImage | undefined {
  const [mime, width, height, bytes] = fields;
  if (!mime || !width || !height || !bytes) return undefined;
  const type = mime.toString();
  if (!isImageMime(type)) throw new Error(`A stored image has an unknown mime type "${type}".`);
  return { bytes, mime: type, width: Number(width.toString()), height: Number(height.toString()) };
}
