import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { deletePrefixedKeys } from '../../core/adapters/redis/redis-keys.js';

/** The shared test Redis (CI starts one on 6379); every test run uses its own key prefix. */
export const TEST_REDIS_URL = process.env.MIRAGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const uniquePrefix = (): string => `mirage-test-${randomUUID().slice(0, 8)}`;

/** Removes every key of one test run (never FLUSHALL: the Redis is shared). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  await deletePrefixedKeys(redis, prefix).finally(() => redis.disconnect());
}

/**
 * Jobs of one queue that BullMQ recorded as completed (the last few thousand are kept), with
 * processedBy naming the worker. A job is completed in Redis before its caller is told, so
 * counting here, unlike counting worker log lines, never misses one that just finished.
 */
export async function completedJobs(url: string, prefix: string, queue: 'models' | 'lookups'): Promise<Job[]> {
  const q = new Queue(queue, { connection: { url }, prefix });
  try {
    return await q.getJobs(['completed']);
  } finally {
    await q.close();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A Redis of our own (for tests that stop and restart it), persisting to an append-only file
 * in `dir` that is fsynced on every write, so a restart keeps everything.
 */
export class PrivateRedis {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(dir: string): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), dir);
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no'],
      { stdio: 'ignore' },
    );
    this.process = child;
    const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      for (let i = 0; i < 100; i++) {
        if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
        try {
          await probe.connect();
          if ((await probe.ping()) === 'PONG') return;
        } catch {
          probe.disconnect();
          await sleep(50);
        }
      }
      throw new Error(`redis-server did not answer on port ${this.port}`);
    } finally {
      probe.disconnect();
    }
  }

  /** Kills the server (SIGKILL: no goodbye to clients) and waits for it to be gone. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
