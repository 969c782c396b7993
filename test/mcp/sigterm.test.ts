import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_CLI, ensureBuilt, REPO_ROOT } from './built-cli.js';
import { ok } from './results.js';
import { createTestWorld, type TestWorld } from './world.js';

let world: TestWorld;

beforeAll(async () => {
  [world] = await Promise.all([createTestWorld(), ensureBuilt(['dist/cli/commands/mcp.js', 'dist/mcp-server/server.js'])]);
});

afterAll(async () => {
  await world?.dispose();
});

/**
 * `mirage mcp` as a process; resolves once `ready` says so from its stderr (with what it printed),
 * and `exit` with how it ended.
 */
function startMcp(args: readonly string[]): { ready: Promise<string>; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; kill: () => void } {
  const child = spawn(process.execPath, [BUILT_CLI, 'mcp', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', MIRAGE_DATA_DIR: world.dataDir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.includes('\n')) resolve(stderr);
    });
    child.once('exit', (code) => reject(new Error(`mirage mcp exited (${code}) before it was ready: ${stderr}`)));
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { ready, exit, kill: () => child.kill('SIGTERM') };
}

describe('mirage mcp on SIGTERM', () => {
  it('closes the HTTP server and exits cleanly, as PID 1 in a container needs', async () => {
    const mcp = startMcp(['--http', '--port', '0']);
    const url = /(http:\/\/\S+\/mcp)/.exec(await mcp.ready)?.[1] ?? '';
    const client = new Client({ name: 'sigterm-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    ok(await client.callTool({ name: 'list_archives', arguments: {} }));
    mcp.kill();
    // Handled, not the default action: the process ends with its own exit code, not by the signal.
    expect(await mcp.exit).toEqual({ code: 0, signal: null });
    await client.close();
  });

  it('stops serving stdio and exits cleanly', async () => {
    const child = spawn(process.execPath, [BUILT_CLI, 'mcp'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', MIRAGE_DATA_DIR: world.dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    // An answer to initialize shows the server is up and listening for signals.
    const answered = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`,
    );
    await answered;
    child.kill('SIGTERM');
    expect(await exit).toEqual({ code: 0, signal: null });
  });
});
