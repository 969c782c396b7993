import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fake-discord/fake-discord.js';
import { mirage } from './harness.js';

const TOKEN = 'cli-test-token-0123456789abcdef';
const APP = '555555555555555555';
let fake: FakeDiscord;

beforeAll(async () => {
  fake = await FakeDiscord.start({ token: TOKEN, applicationId: APP });
});

afterAll(async () => {
  await fake?.close();
});

describe('mirage bot', () => {
  it('says which setting is missing or wrong, and starts nothing', async () => {
    const missing = await mirage(['bot']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error: Invalid bot setting DISCORD_TOKEN: it is not set.\n');
    const bad = await mirage(['bot', 'deploy-commands'], { env: { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: 'not-a-number' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('DISCORD_APPLICATION_ID: must be a Discord id');
    const url = await mirage(['bot', 'deploy-commands'], { env: { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP, DISCORD_API_BASE: 'ftp://x' } });
    expect(url.stderr).toContain('DISCORD_API_BASE');
  });

  it('deploys the slash commands to one guild, or globally, at DISCORD_API_BASE', async () => {
    const env = { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP, DISCORD_API_BASE: fake.apiBase };
    const guild = await mirage(['bot', 'deploy-commands', '--guild', '777777777777777777'], { env });
    expect(guild).toMatchObject({ code: 0, stdout: 'Registered /search, /history, /forget-me, /mirage-admin in guild 777777777777777777.\n' });
    expect(fake.commands.guild.get('777777777777777777')?.map((c) => c.name)).toEqual(['search', 'history', 'forget-me', 'mirage-admin']);
    const admin = fake.commands.guild.get('777777777777777777')?.find((c) => c.name === 'mirage-admin');
    // Manage Server only, and never in DMs.
    expect(admin).toMatchObject({ default_member_permissions: String(1 << 5), contexts: [0] });
    const global = await mirage(['bot', 'deploy-commands'], { env });
    expect(global.code).toBe(0);
    expect(fake.commands.global.map((c) => c.name)).toEqual(['search', 'history', 'forget-me', 'mirage-admin']);
    const wrongToken = await mirage(['bot', 'deploy-commands'], { env: { ...env, DISCORD_TOKEN: 'x'.repeat(30) } });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toContain('401');
  });
});

describe('mirage bot, the process', () => {
  it('logs in, and on SIGTERM closes the gateway and exits cleanly', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mirage-bot-process-'));
    const cli = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'bot'], {
      env: { ...process.env, DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP, DISCORD_API_BASE: fake.apiBase, MIRAGE_DATA_DIR: dataDir, MIRAGE_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => stdout.includes('"msg":"bot ready"') && resolve());
        void exited.then((code) => reject(new Error(`exited early (${code}): ${stdout}`)));
      });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout).toContain('"msg":"shutting down"');
      expect(stdout).toContain('"msg":"bot stopped"');
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
