import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * Reconnect quickly and forever: after a Redis restart every client (queue, worker, session
 * store) comes back on its own within about two seconds of Redis being reachable again.
 */
export const reconnectDelayMs = (attempt: number): number => Math.min(100 * attempt, 2000);

/** Options for a connection BullMQ opens itself (it adds what blocking connections need). */
export function bullConnection(url: string): BullRedisOptions {
  return { url, retryStrategy: reconnectDelayMs };
}

export type RedisErrorHandler = (error: Error) => void;

/**
 * A plain ioredis client for Mirage's own keys. Commands issued while Redis is away are queued
 * and sent after reconnecting; `subscriber` connections never give up on a command (a
 * subscription must survive any outage), others fail after a few reconnect attempts so a caller
 * is not left waiting forever.
 */
export function openRedis(url: string, onError: RedisErrorHandler, options: { subscriber?: boolean } = {}): Redis {
  const client = new Redis(url, {
    retryStrategy: reconnectDelayMs,
    maxRetriesPerRequest: options.subscriber ? null : 20,
    lazyConnect: false,
  });
  // Without a listener ioredis prints every reconnect failure as an unhandled error.
  client.on('error', onError);
  return client;
}

/** Closes a client, waiting for queued replies when it is connected. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}
