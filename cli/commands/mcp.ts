import { Option, type Command } from 'commander';
import { MIN_IMAGE_BUDGET } from '../../core/images/client-image.js';
import { serverPlaces } from '../../core/render/client-safe-text.js';
import { archiveStoreBrowser } from '../../mcp-server/archive-browser.js';
import { EvaluationSeals } from '../../mcp-server/evaluation-seals.js';
import { tokensFromEnv } from '../../mcp-server/transports/http/bearer-tokens.js';
import {
  DEFAULT_MAX_SESSIONS,
  DEFAULT_MAX_SESSIONS_PER_CLIENT,
  DEFAULT_MCP_PORT,
  DEFAULT_SESSION_IDLE_MS,
  mcpHttpSettings,
  startMcpHttpServer,
  type McpHttpOptions,
} from '../../mcp-server/transports/http/http-server.js';
import {
  DEFAULT_MAX_IMAGE_BYTES,
  DEFAULT_MAX_RESOURCE_BYTES,
  MAX_IMAGE_BYTES_LIMIT,
  resolveOptions,
  type MirageMcpOptions,
} from '../../mcp-server/options.js';
import { createMirageMcpServer } from '../../mcp-server/server.js';
import { serveStdio } from '../../mcp-server/transports/stdio.js';
import type { CliContext } from '../context.js';
import { withInterrupt } from '../interrupt.js';
import { integerIn } from '../integer-option.js';
import { printJson } from '../output.js';

interface McpOptions {
  readonly http?: boolean;
  readonly port: number;
  readonly host: string;
  readonly token: readonly string[];
  readonly allowedHost: readonly string[];
  readonly sessionIdle: number;
  readonly maxSessions: number;
  readonly maxSessionsPerClient: number;
  readonly maxImageKb?: number;
  readonly maxResourceKb?: number;
  readonly check?: boolean;
  readonly sharedEvaluations?: boolean;
}

/** After SIGTERM the server stops taking requests at once; whatever is still running gets this long. */
const STOP_DEADLINE_MS = 10_000;

/** A repeatable flag whose environment variable may also list several values, separated by commas. */
const list = (flag: string, description: string, env: string) =>
  new Option(flag, description)
    .env(env)
    .argParser((value: string, previous: readonly string[]) => [...previous, ...tokensFromEnv(value)])
    .default([], 'none');

export function registerMcp(program: Command, ctx: CliContext): void {
  program
    .command('mcp')
    .description('Serve Mirage to MCP clients (AI agents): over stdio by default, or Streamable HTTP with --http')
    .option('--http', 'serve Streamable HTTP instead of stdio')
    .addOption(new Option('--port <n>', 'HTTP port').env('MIRAGE_MCP_PORT').argParser(integerIn('--port', 0, 65_535)).default(DEFAULT_MCP_PORT))
    .addOption(new Option('--host <address>', 'HTTP bind address; anything but loopback needs a token').env('MIRAGE_MCP_HOST').default('127.0.0.1'))
    .addOption(
      list(
        '--token <token>',
        'accepted bearer token (at least 16 characters), repeatable: one per client keeps their sessions apart; prefer the env MIRAGE_MCP_TOKEN (comma-separated), which ps does not show',
        'MIRAGE_MCP_TOKEN',
      ),
    )
    .addOption(
      list('--allowed-host <name>', 'host name clients may use besides loopback and --host (repeatable; needed with --host 0.0.0.0)', 'MIRAGE_MCP_ALLOWED_HOSTS'),
    )
    .addOption(
      new Option('--session-idle <seconds>', 'close an MCP session unused this long')
        .env('MIRAGE_MCP_SESSION_IDLE')
        .argParser(integerIn('--session-idle', 1, 7 * 24 * 3600))
        .default(DEFAULT_SESSION_IDLE_MS / 1000),
    )
    .addOption(
      new Option('--max-sessions <n>', 'open MCP sessions at most, all clients together')
        .env('MIRAGE_MCP_MAX_SESSIONS')
        .argParser(integerIn('--max-sessions', 1, 100_000))
        .default(DEFAULT_MAX_SESSIONS),
    )
    .addOption(
      new Option('--max-sessions-per-client <n>', 'open MCP sessions at most per bearer token, so one client cannot fill the server')
        .env('MIRAGE_MCP_SESSIONS_PER_CLIENT')
        .argParser(integerIn('--max-sessions-per-client', 1, 100_000))
        .default(DEFAULT_MAX_SESSIONS_PER_CLIENT),
    )
    .option(
      '--max-image-kb <n>',
      `size cap of each image in a tool result, in KiB (default ${DEFAULT_MAX_IMAGE_BYTES / 1024})`,
      integerIn('--max-image-kb', MIN_IMAGE_BUDGET / 1024, MAX_IMAGE_BYTES_LIMIT / 1024),
    )
    .option(
      '--max-resource-kb <n>',
      `size cap of each image resource (archive, synthetic and target images), in KiB (default ${DEFAULT_MAX_RESOURCE_BYTES / 1024})`,
      integerIn('--max-resource-kb', MIN_IMAGE_BUDGET / 1024, MAX_IMAGE_BYTES_LIMIT / 1024),
    )
    .addOption(
      new Option('--shared-evaluations', 'refuse evaluations whose target or seed the client chooses (for leaderboards; otherwise they run unscored)')
        .env('MIRAGE_MCP_SHARED_EVALUATIONS'),
    )
    .option('--check', 'check the settings, print them as JSON (tokens counted, never shown) and exit without serving')
    .addHelpText(
      'after',
      [
        '',
        'Every HTTP setting also comes from the environment: MIRAGE_MCP_HOST, MIRAGE_MCP_PORT, MIRAGE_MCP_TOKEN,',
        'MIRAGE_MCP_ALLOWED_HOSTS (comma-separated), MIRAGE_MCP_SESSION_IDLE, MIRAGE_MCP_MAX_SESSIONS,',
        'MIRAGE_MCP_SESSIONS_PER_CLIENT, MIRAGE_MCP_SHARED_EVALUATIONS=1; flags win. SIGTERM or Ctrl-C stops the server.',
        '',
        'Examples:',
        '  mirage mcp                                   (stdio: register "mirage mcp" as the command in your MCP client)',
        '  mirage mcp --http --port 8765                (http://127.0.0.1:8765/mcp)',
        '  MIRAGE_MCP_TOKEN=<secret> mirage mcp --http --host 192.168.1.5',
        '  MIRAGE_MCP_TOKEN=<secret> mirage mcp --http --host 0.0.0.0 --allowed-host mirage.example.org',
      ].join('\n'),
    )
    .action(async (options: McpOptions) => {
      const mcpOptions: MirageMcpOptions = {
        ...(options.maxImageKb !== undefined ? { maxImageBytes: options.maxImageKb * 1024 } : {}),
        ...(options.maxResourceKb !== undefined ? { maxResourceBytes: options.maxResourceKb * 1024 } : {}),
        serverPlaces: serverPlaces(ctx.config()),
        ...(options.sharedEvaluations ? { sharedEvaluations: true } : {}),
      };
      const httpOptions: McpHttpOptions = {
        host: options.host,
        port: options.port,
        tokens: options.token,
        allowedHosts: options.allowedHost,
        sessionIdleMs: options.sessionIdle * 1000,
        maxSessions: options.maxSessions,
        maxSessionsPerClient: options.maxSessionsPerClient,
      };
      const resolved = resolveOptions(mcpOptions);
      const http = options.http ? mcpHttpSettings(httpOptions) : undefined;
      if (options.check) {
        printJson(ctx.io, {
          transport: http ? 'http' : 'stdio',
          ...(http ? { http } : {}),
          maxImageBytes: resolved.maxImageBytes,
          maxResourceBytes: resolved.maxResourceBytes,
          sharedEvaluations: resolved.sharedEvaluations,
        });
        return;
      }
      // Its clients are not this machine's user: what they could make the engine ingest is confined.
      const runtime = await ctx.runtime({ ingestAccess: 'remote' });
      // Sessions belong to the client: over HTTP the token it presented, over stdio the one client.
      // One seal registry for all connections: a second MCP session with the same token is sealed too.
      const seals = new EvaluationSeals();
      const browser = archiveStoreBrowser(runtime.archives);
      const newServer = (identity: string) => createMirageMcpServer(runtime.engine, { ...mcpOptions, browser, seals, owner: `mcp:${identity}` });
      await withInterrupt(async (signal) => {
        signal.addEventListener('abort', () => setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref(), { once: true });
        if (!options.http) {
          const server = newServer('stdio');
          signal.addEventListener('abort', () => void server.close(), { once: true });
          await serveStdio(server);
          return;
        }
        const server = await startMcpHttpServer(newServer, httpOptions);
        ctx.io.stderr(
          `Mirage MCP server at ${server.url}${options.token.length > 0 ? ' (bearer token required)' : ''}. Ctrl-C or SIGTERM stops it.\n`,
        );
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        await server.close();
      });
    });
}
