import { describe, expect, it } from 'vitest';
import { mirage } from './harness.js';

describe('mirage worker', () => {
  it('needs Redis, and says so', async () => {
    const result = await mirage(['worker'], { env: { MIRAGE_DATA_DIR: '/nonexistent' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: A worker needs Redis: set REDIS_URL (for example redis://127.0.0.1:6379).\n');
  });

  it('rejects a bad concurrency or Redis URL before connecting', async () => {
    const zero = await mirage(['worker', '--concurrency', '0'], { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--concurrency must be a whole number from 1 to 64.');
    const url = await mirage(['worker'], { env: { REDIS_URL: 'http://localhost' } });
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('redisUrl (REDIS_URL): must start with redis:// or rediss://');
  });

  it('documents its flags and settings', async () => {
    const help = await mirage(['worker', '--help']);
    expect(help.code).toBe(0);
    for (const text of ['--concurrency <n>', '--lock-duration <ms>', 'REDIS_URL', 'SIGTERM']) expect(help.stdout).toContain(text);
  });
});
