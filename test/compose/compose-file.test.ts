import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOT_ENV, loadBotSettings } from '../../bot/bot-settings.js';
import { CONFIG_ENV, loadConfig } from '../../core/config/config.js';
import { mirage } from '../cli/harness.js';
import { BUILT_CLI, ensureBuilt } from '../mcp/built-cli.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Service {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly target?: string; readonly dockerfile?: string; readonly args?: Record<string, string> };
  readonly command?: readonly string[];
  readonly environment?: Record<string, string>;
  readonly volumes?: readonly string[];
  readonly ports?: readonly string[];
  readonly profiles?: readonly string[];
  readonly depends_on?: Record<string, { readonly condition: string }>;
  readonly healthcheck?: unknown;
  readonly deploy?: { readonly resources?: { readonly reservations?: { readonly devices?: readonly Record<string, unknown>[] } } };
}

interface ComposeFile {
  readonly services: Record<string, Service>;
  readonly volumes: Record<string, unknown>;
}

/** Settings a service may have besides the shared config, each with the source file that reads it. */
const SERVICE_SETTINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'mcp-server': Object.fromEntries(
    ['MIRAGE_MCP_HOST', 'MIRAGE_MCP_PORT', 'MIRAGE_MCP_ALLOWED_HOSTS', 'MIRAGE_MCP_TOKEN', 'MIRAGE_MCP_SESSIONS_PER_CLIENT', 'MIRAGE_MCP_SESSION_IDLE'].map((v) => [
      v,
      'cli/commands/mcp.ts',
    ]),
  ),
  bot: Object.fromEntries(Object.values(BOT_ENV).map((variable) => [variable, 'bot/bot-settings.ts'])),
};

const MIRAGE_SERVICES = ['worker', 'mcp-server', 'bot'];
const CONFIG_NAMES = new Set(Object.values(CONFIG_ENV));

let compose: ComposeFile;
let dockerfile: string;

/** What an operator must set (${NAME:?message}); long enough to pass as a bearer token. */
const REQUIRED_VALUE = 'operator-set-value-0123456789';

/**
 * Docker Compose's substitution with nothing set in the shell: ${NAME:-default} is the default,
 * and a value stands in for a required ${NAME:?message}.
 */
const substituted = (value: string) =>
  value.replace(/\$\{([A-Z_]+)(?::?([?-])([^}]*))?\}/g, (_all, _name: string, kind?: string, rest?: string) => (kind === '-' ? (rest ?? '') : REQUIRED_VALUE));

const environmentOf = (service: Service): Record<string, string> =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, substituted(String(v))]));

/** "name:/target[:ro]" -> { name, target } */
function mount(spec: string): { name: string; target: string; readOnly: boolean } {
  const [name = '', target = '', mode] = spec.split(':');
  return { name, target, readOnly: mode === 'ro' };
}

beforeAll(async () => {
  compose = parse(await readFile(path.join(REPO, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
  dockerfile = await readFile(path.join(REPO, 'Dockerfile'), 'utf8');
});

describe('docker-compose.yml', () => {
  it('has redis, the GPU worker, the MCP server, and the Discord bot behind a profile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['bot', 'mcp-server', 'redis', 'worker']);
    expect(compose.services.bot?.profiles).toEqual(['discord']);
    for (const name of ['redis', 'worker', 'mcp-server']) expect(compose.services[name]?.profiles).toBeUndefined();
  });

  it('runs Redis with noeviction and an append-only file on a volume, with a health check the others wait for', () => {
    const redis = compose.services.redis as Service;
    const command = (redis.command ?? []).join(' ');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(command).toContain('--appendonly yes');
    expect(redis.volumes?.map(mount)).toContainEqual({ name: 'redis-data', target: '/data', readOnly: false });
    expect(redis.healthcheck).toBeDefined();
    for (const name of MIRAGE_SERVICES) expect(compose.services[name]?.depends_on?.redis?.condition).toBe('service_healthy');
  });

  it('gives every Mirage service settings that the config schema accepts, and the same shared ones', () => {
    const shared: Record<string, string>[] = [];
    for (const name of MIRAGE_SERVICES) {
      const env = compose.services[name]?.environment ?? {};
      const extras = SERVICE_SETTINGS[name] ?? {};
      for (const variable of Object.keys(env)) {
        expect(CONFIG_NAMES.has(variable) || variable in extras, `${name}: ${variable} is not a Mirage setting`).toBe(true);
      }
      const config = loadConfig(environmentOf(compose.services[name] as Service));
      // Every service reaches Redis by its service name.
      expect(new URL(config.redisUrl ?? '').hostname).toBe('redis');
      shared.push(Object.fromEntries(['redisUrl', 'redisPrefix', 'sessionTtlSeconds', 'dataDir'].map((k) => [k, String(config[k as keyof typeof config])])));
    }
    expect(shared.every((s) => JSON.stringify(s) === JSON.stringify(shared[0]))).toBe(true);
  });

  it('names only settings the code reads', async () => {
    for (const [service, settings] of Object.entries(SERVICE_SETTINGS)) {
      for (const [variable, file] of Object.entries(settings)) {
        expect(await readFile(path.join(REPO, file), 'utf8'), `${service}: ${variable}`).toContain(variable);
      }
    }
  });

  it('mounts the data and models folders where the config points, from declared volumes', () => {
    const declared = new Set(Object.keys(compose.volumes));
    for (const [name, service] of Object.entries(compose.services)) {
      for (const m of (service.volumes ?? []).map(mount)) expect(declared.has(m.name), `${name}: volume ${m.name}`).toBe(true);
    }
    for (const name of MIRAGE_SERVICES) {
      const service = compose.services[name] as Service;
      const config = loadConfig(environmentOf(service));
      const targets = (service.volumes ?? []).map(mount);
      expect(targets.find((m) => m.target === config.dataDir), `${name} mounts ${config.dataDir}`).toBeDefined();
    }
    // The worker writes archives (ingestion) and reads models.
    const worker = compose.services.worker as Service;
    const workerConfig = loadConfig(worker.environment ?? {});
    const mounts = (worker.volumes ?? []).map(mount);
    expect(mounts.find((m) => m.target === workerConfig.dataDir)?.readOnly).toBe(false);
    expect(mounts.find((m) => m.target === workerConfig.modelsDir)).toMatchObject({ name: 'models' });
  });

  it('reserves a GPU for the worker and builds it with ONNX Runtime\'s CUDA provider', () => {
    const worker = compose.services.worker as Service;
    const devices = worker.deploy?.resources?.reservations?.devices ?? [];
    expect(devices).toContainEqual(expect.objectContaining({ driver: 'nvidia', capabilities: ['gpu'] }));
    expect(worker.build?.args?.ONNXRUNTIME_NODE_INSTALL).toBe('cuda12');
    expect(loadConfig(worker.environment ?? {}).executionProvider).toBe('cuda');
  });

  it('builds from Dockerfile stages that exist, which use the ONNX Runtime build argument', () => {
    const stages = new Set([...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]));
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.build) continue;
      expect(service.build.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      expect(stages.has(service.build.target ?? ''), `${name}: stage ${service.build.target}`).toBe(true);
    }
    expect(dockerfile).toMatch(/^ARG ONNXRUNTIME_NODE_INSTALL=/m);
    // The install script runs by hand, with the argument, whatever npm's allowScripts says.
    expect(dockerfile).toContain('cd node_modules/onnxruntime-node && ONNXRUNTIME_NODE_INSTALL=${ONNXRUNTIME_NODE_INSTALL} node script/install.js');
    for (const install of dockerfile.match(/npm ci [^\n]*/g) ?? []) expect(install).toContain('--ignore-scripts');
    // Services that only name an image use one that a build in this file produces.
    const built = new Set(Object.values(compose.services).map((s) => (s.build ? s.image : undefined)));
    for (const service of Object.values(compose.services)) if (!service.build && service.image?.startsWith('mirage')) expect(built.has(service.image)).toBe(true);
  });

  it('gives the bot settings its own loader accepts, and the data folder read-write for staged attachments', () => {
    const bot = compose.services.bot as Service;
    const env = Object.fromEntries(Object.entries(bot.environment ?? {}).map(([k, v]) => [k, substituted(String(v))]));
    const settings = loadBotSettings({ ...env, DISCORD_TOKEN: 'test-token-0123456789abcdef', DISCORD_APPLICATION_ID: '123456789012345678' });
    expect(settings.embedder).toBe('clip-vit-b32');
    expect((bot.volumes ?? []).map(mount)).toContainEqual({ name: 'data', target: '/data', readOnly: false });
  });

  it('starts the MCP server with a command line and environment that the real CLI accepts', async () => {
    await ensureBuilt([]);
    const service = compose.services['mcp-server'] as Service;
    // The built CLI as the container runs it: the service's command, its environment and nothing else.
    const { stdout } = await promisify(execFile)(process.execPath, [BUILT_CLI, ...(service.command ?? []), '--check'], {
      env: { PATH: process.env.PATH ?? '', ...environmentOf(service) },
    });
    const checked = JSON.parse(stdout) as { transport: string; http: Record<string, unknown> };
    expect(checked.transport).toBe('http');
    expect(checked.http).toMatchObject({ host: '0.0.0.0', port: 8765, tokens: 1, maxSessionsPerClient: 10, sessionIdleMs: 1_800_000 });
    // Other containers reach it by its service name.
    expect(checked.http.allowedHosts).toContain('mcp-server');
    // The port it listens on is the one published.
    expect(service.ports?.map((p) => p.split(':').at(-1))).toContain(String(checked.http.port));
  });

  it('starts the worker, the MCP server and the bot with commands the CLI has', async () => {
    for (const name of ['worker', 'mcp-server', 'bot']) {
      const [command, ...flags] = compose.services[name]?.command ?? [];
      const help = await mirage([command as string, '--help']);
      expect(help.code, `${name}: mirage ${command}`).toBe(0);
      for (const flag of flags.filter((f) => f.startsWith('--'))) expect(help.stdout, `${name}: ${flag}`).toContain(flag);
    }
  });
});
