/**
 * The Discord bot, measured as members meet it (issue: Discord bot, section 6):
 *   npm run build && npm run bench -- bot --size 10000 --searches 100 --sessions 1000 --attachments 200
 * Runs `mirage bot` as a child process against the local Discord-compatible server of the tests,
 * and measures:
 * - time from /search to its acknowledgement and to the first round's reply, p50 / p95, on a
 *   Scenes world of `size` images (offered as a public archive), in process and through the
 *   queue (REDIS_URL, one `mirage worker`);
 * - attachments ingested per second: pictures posted into an indexed channel until all are
 *   searchable;
 * - the bot's resident memory before and after `sessions` searches (one per member).
 * Writes bench-results/bot-<date>.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { deletePrefixedKeys } from '../core/adapters/redis/redis-keys.js';
import { loadConfig } from '../core/config/config.js';
import { encodeImage } from '../core/images/encode.js';
import { createArchiveStore, createRuntime } from '../core/runtime/runtime.js';
import { captionOf } from '../core/scenes/caption.js';
import { renderScene } from '../core/scenes/renderer.js';
import { sceneAt } from '../core/scenes/sampler.js';
import { SCENES_EMBEDDER_ID } from '../core/scenes/scenes-bundle.js';
import { buildWorld } from '../core/scenes/world-builder.js';
import { FakeDiscord } from '../test/fake-discord/fake-discord.js';
import type { FakeInteraction } from '../test/fake-discord/fake-interaction.js';
import type { FakeChannel, FakeGuild, FakeUser } from '../test/fake-discord/payloads.js';
import { WorkerChild } from '../workers/worker-child.js';
import { percentile } from './stats.js';

const TOKEN = 'bench-bot-token-0123456789abcdefgh';
const APP = '313131313131313131';
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const WORLD_SEED = 7;

const log = (text: string) => console.error(`[bot-bench] ${text}`);

interface Timing {
  readonly ackP50: number;
  readonly ackP95: number;
  readonly replyP50: number;
  readonly replyP95: number;
  readonly samples: number;
}

/** `mirage bot` as a child process; resolves once it logged that it is ready. */
async function startBot(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'bot'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => void (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (d: Buffer) => {
      buffer += d.toString();
      if (buffer.includes('"msg":"bot ready"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`mirage bot exited (${code}) before it was ready:\n${stderr}`)));
  });
  return child;
}

async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN) * 1024;
}

async function stopBot(child: ChildProcess): Promise<{ ms: number; code: number | null }> {
  const started = performance.now();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const code = await exited;
  return { ms: performance.now() - started, code };
}

/** The first answer of a /search that shows its round. */
async function roundShown(interaction: FakeInteraction): Promise<number> {
  const response = await interaction.next((r) => r.kind === 'edit' && JSON.stringify(r.body).includes('### Round 1'), 120_000, 'a round');
  return response.at - interaction.dispatchedAt;
}

async function timeSearches(fake: FakeDiscord, members: readonly FakeUser[], channel: FakeChannel, archive: string, size: number, count: number): Promise<Timing> {
  const acks: number[] = [];
  const replies: number[] = [];
  for (let i = 0; i < count; i++) {
    const caption = captionOf(sceneAt(WORLD_SEED, (i * 7919) % size));
    const interaction = fake.command(members[i % members.length] as FakeUser, channel, 'search', [
      { type: 3, name: 'description', value: caption },
      { type: 3, name: 'archive', value: archive },
    ]);
    replies.push(await roundShown(interaction));
    acks.push(interaction.ackMs ?? Number.NaN);
  }
  return { ackP50: percentile(acks, 50), ackP95: percentile(acks, 95), replyP50: percentile(replies, 50), replyP95: percentile(replies, 95), samples: count };
}

async function archiveCount(dataDir: string, name: string): Promise<number> {
  return (await createArchiveStore({ dataDir }).list()).find((m) => m.name === name)?.count ?? 0;
}

async function ingestRate(fake: FakeDiscord, guild: FakeGuild, owner: FakeUser, photos: FakeChannel, dataDir: string, count: number): Promise<{ images: number; seconds: number; perSecond: number }> {
  const add = fake.command(owner, photos, 'mirage-admin', [{ type: 2, name: 'channels', options: [{ type: 1, name: 'add', options: [{ type: 7, name: 'channel', value: photos.id }] }] }]);
  await add.next((r) => r.kind === 'edit');
  const pictures = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const png = await encodeImage(await renderScene(sceneAt(WORLD_SEED + 1, i)));
      return { filename: `p${i}.png`, contentType: 'image/png', bytes: png.bytes, width: png.width, height: png.height };
    }),
  );
  const archive = `discord-${guild.id}`;
  const started = performance.now();
  for (const picture of pictures) fake.postMessage(photos, owner, { attachments: [picture] });
  while ((await archiveCount(dataDir, archive)) < count) await new Promise((r) => setTimeout(r, 100));
  const seconds = (performance.now() - started) / 1000;
  return { images: count, seconds, perSecond: count / seconds };
}

async function sessions(fake: FakeDiscord, members: readonly FakeUser[], channel: FakeChannel, archive: string, count: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < count; i = next++) {
        const interaction = fake.command(members[i % members.length] as FakeUser, channel, 'search', [
          { type: 3, name: 'description', value: `a ${['red', 'blue', 'green', 'white'][i % 4]} car near a house` },
          { type: 3, name: 'archive', value: archive },
        ]);
        await roundShown(interaction);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      size: { type: 'string', default: '10000' },
      searches: { type: 'string', default: '100' },
      'queue-searches': { type: 'string', default: '50' },
      sessions: { type: 'string', default: '1000' },
      attachments: { type: 'string', default: '200' },
      'data-dir': { type: 'string', default: '/tmp/mirage-bot-bench' },
      redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    },
  });
  const size = Number(values.size);
  const dataDir = values['data-dir'];
  const world = `bench-scenes-${size}`;
  await mkdir(dataDir, { recursive: true });
  const { archives, models } = createRuntime(loadConfig({}, { dataDir }));
  if (!(await archives.exists(world))) {
    log(`building ${world}`);
    await buildWorld({ store: archives, embedder: (await models.bundleFor(SCENES_EMBEDDER_ID)).imageEmbedder, name: world, size, seed: WORLD_SEED });
  }
  // A fresh guild archive and bot state for every run; the world stays.
  await rm(join(dataDir, 'state'), { recursive: true, force: true });
  for (const m of await archives.list()) if (m.name.startsWith('discord-')) await archives.delete(m.name);

  const fake = await FakeDiscord.start({ token: TOKEN, applicationId: APP });
  const owner = fake.user('owner');
  const memberCount = Math.max(Number(values.sessions), Number(values.searches));
  const members = Array.from({ length: memberCount }, (_, i) => fake.user(`member-${i}`));
  const guild = fake.addGuild({ name: 'Bench', owner, channels: [{ name: 'search' }, { name: 'photos' }], members: members.map((user) => ({ user })) });
  const [searchChannel, photos] = [fake.channel(guild, 'search'), fake.channel(guild, 'photos')];
  const env = {
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: APP,
    DISCORD_API_BASE: fake.apiBase,
    MIRAGE_DATA_DIR: dataDir,
    MIRAGE_BOT_PUBLIC_ARCHIVES: world,
    MIRAGE_BOT_MEMBER_ROUNDS_PER_MINUTE: '600',
    MIRAGE_BOT_GUILD_ROUNDS_PER_MINUTE: '10000',
    MIRAGE_BOT_SWEEP_MINUTES: '0',
    MIRAGE_LOG_LEVEL: 'info',
  };
  const deploy = spawn(process.execPath, [CLI, 'bot', 'deploy-commands', '--guild', guild.id], { env: { ...process.env, ...env }, stdio: 'ignore' });
  await new Promise((resolve) => deploy.once('exit', resolve));

  try {
    log('in process: starting the bot');
    const bot = await startBot(env);
    await fake.whenReady();
    log(`in process: ${values.searches} searches`);
    const inProcess = await timeSearches(fake, members, searchChannel, world, size, Number(values.searches));
    log(`in process: ${values.attachments} attachments`);
    const ingest = await ingestRate(fake, guild, owner, photos, dataDir, Number(values.attachments));
    const rssBefore = await rss(bot.pid as number);
    log(`in process: ${values.sessions} sessions`);
    const sessionSeconds = await sessions(fake, members, searchChannel, world, Number(values.sessions));
    const rssAfter = await rss(bot.pid as number);
    const shutdown = await stopBot(bot);

    log('through the queue: a worker and the bot');
    const prefix = `mirage-bot-bench-${randomUUID().slice(0, 8)}`;
    const worker = await WorkerChild.start({ redisUrl: values.redis, prefix, dataDir });
    const queued = await startBot({ ...env, REDIS_URL: values.redis, MIRAGE_REDIS_PREFIX: prefix });
    let throughQueue: Timing;
    try {
      throughQueue = await timeSearches(fake, members.slice(1), searchChannel, world, size, Number(values['queue-searches']));
    } finally {
      await stopBot(queued);
      await worker.stop();
      const redis = new Redis(values.redis);
      await deletePrefixedKeys(redis, prefix).finally(() => redis.disconnect());
    }

    const result = {
      date: new Date().toISOString(),
      machine: { cpus: availableParallelism(), model: cpus()[0]?.model },
      world: { name: world, size },
      inProcess,
      throughQueue,
      ingest,
      memory: { sessions: Number(values.sessions), seconds: sessionSeconds, rssBeforeMiB: rssBefore / 2 ** 20, rssAfterMiB: rssAfter / 2 ** 20 },
      shutdown,
    };
    const ms = (v: number) => v.toFixed(0);
    console.log(
      [
        `### Discord bot (${size}-image Scenes world, ${result.machine.cpus} cores)`,
        '',
        '| /search | samples | ack p50 / p95 (ms) | first round shown p50 / p95 (ms) |',
        '| --- | ---: | ---: | ---: |',
        `| in process | ${inProcess.samples} | ${ms(inProcess.ackP50)} / ${ms(inProcess.ackP95)} | ${ms(inProcess.replyP50)} / ${ms(inProcess.replyP95)} |`,
        `| through the queue (1 worker) | ${throughQueue.samples} | ${ms(throughQueue.ackP50)} / ${ms(throughQueue.ackP95)} | ${ms(throughQueue.replyP50)} / ${ms(throughQueue.replyP95)} |`,
        '',
        `Attachments: ${ingest.images} indexed in ${ingest.seconds.toFixed(1)} s (${ingest.perSecond.toFixed(1)} per second, posted at once, in process).`,
        `Memory: bot RSS ${result.memory.rssBeforeMiB.toFixed(0)} MiB before and ${result.memory.rssAfterMiB.toFixed(0)} MiB after ${result.memory.sessions} searches (${sessionSeconds.toFixed(1)} s).`,
        `Shutdown on SIGTERM: ${ms(shutdown.ms)} ms, exit code ${shutdown.code}.`,
      ].join('\n'),
    );
    await mkdir('bench-results', { recursive: true });
    await writeFile(join('bench-results', `bot-${result.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2) + '\n');
  } finally {
    await fake.close();
  }
}
