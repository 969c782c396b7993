import { Option, type Command } from 'commander';
import { MIN_IMAGE_BUDGET } from '../../core/images/client-image.js';
import { archiveStoreBrowser } from '../../mcp-server/archive-browser.js';
import { tokensFromEnv } from '../../mcp-server/transports/http/bearer-tokens.js';
import { DEFAULT_MCP_PORT, startMcpHttpServer } from '../../mcp-server/transports/http/http-server.js';
import { DEFAULT_MAX_IMAGE_BYTES, MAX_IMAGE_BYTES_LIMIT, resolveOptions, type MirageMcpOptions } from '../../mcp-server/options.js';
import { createMirageMcpServer } from '../../mcp-server/server.js';
import { serveStdio } from '../../mcp-server/transports/stdio.js';
import type { CliContext } from '../context.js';
import { withInterrupt } from '../interrupt.js';
import { integerIn } from '../integer-option.js';

interface McpOptions {
  readonly http?: boolean;
  readonly port: number;
  readonly host: string;
  readonly token: readonly string[];
  readonly allowedHost: readonly string[];
  readonly maxImageKb?: number;
}

const collect = (value: string, previous: readonly string[]): string[] => [...previous, value];

export function registerMcp(program: Command, ctx: CliContext): void {
  program
    .command('mcp')
    .description('Serve Mirage to MCP clients (AI agents): over stdio by default, or Streamable HTTP with --http')
    .option('--http', 'serve Streamable HTTP instead of stdio')
    .option('--port <n>', 'HTTP port', integerIn('--port', 0, 65_535), DEFAULT_MCP_PORT)
    .option('--host <address>', 'HTTP bind address; anything but loopback needs a token', '127.0.0.1')
    .addOption(
      new Option('--token <token>', 'accepted bearer token (at least 16 characters), repeatable: one per client keeps their sessions apart; prefer the env MIRAGE_MCP_TOKEN (comma-separated), which ps does not show')
        .env('MIRAGE_MCP_TOKEN')
        .argParser((value: string, previous: readonly string[]) => [...previous, ...tokensFromEnv(value)])
        .default([], 'none'),
    )
    .addOption(
      new Option('--allowed-host <name>', 'host name clients may use besides loopback and --host (repeatable; needed with --host 0.0.0.0)')
        .argParser(collect)
        .default([], 'none'),
    )
    .option(
      '--max-image-kb <n>',
      `size cap of each image in a tool result, in KiB (default ${DEFAULT_MAX_IMAGE_BYTES / 1024})`,
      integerIn('--max-image-kb', MIN_IMAGE_BUDGET / 1024, MAX_IMAGE_BYTES_LIMIT / 1024),
    )
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  mirage mcp                                   (stdio: register "mirage mcp" as the command in your MCP client)',
        '  mirage mcp --http --port 8765                (http://127.0.0.1:8765/mcp)',
        '  MIRAGE_MCP_TOKEN=<secret> mirage mcp --http --host 192.168.1.5',
      ].join('\n'),
    )
    .action(async (options: McpOptions) => {
      // Its clients are not this machine's user: what they could make the engine ingest is confined.
      const runtime = await ctx.runtime({ ingestAccess: 'remote' });
      const mcpOptions: MirageMcpOptions = {
        browser: archiveStoreBrowser(runtime.archives),
        ...(options.maxImageKb !== undefined ? { maxImageBytes: options.maxImageKb * 1024 } : {}),
      };
      resolveOptions(mcpOptions);
      const newServer = () => createMirageMcpServer(runtime.engine, mcpOptions);
      if (!options.http) {
        await serveStdio(newServer());
        return;
      }
      const server = await startMcpHttpServer(newServer, {
        host: options.host,
        port: options.port,
        tokens: options.token,
        allowedHosts: options.allowedHost,
      });
      ctx.io.stderr(
        `Mirage MCP server at ${server.url}${options.token.length > 0 ? ' (bearer token required)' : ''}. Ctrl-C stops it.\n`,
      );
      await withInterrupt((signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })));
      await server.close();
    });
}
