import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MirageError } from '../../core/errors.js';
import { startMcpHttpServer, type McpHttpOptions, type McpHttpServer } from '../../mcp-server/transports/http/http-server.js';
import { createMirageMcpServer } from '../../mcp-server/server.js';
import { BearerTokens } from '../../mcp-server/transports/http/bearer-tokens.js';
import { mirage } from '../cli/harness.js';
import { loadConfig } from '../../core/config/config.js';
import { createRuntime } from '../../core/runtime/runtime.js';
import { serverPlaces } from '../../core/render/client-safe-text.js';
import { BUILT_CLI, ensureBuilt } from './built-cli.js';
import { failed, ok, structured } from './results.js';
import { ARCHIVE, createTestWorld, type TestWorld } from './world.js';

const TOKEN_A = 'token-a-0123456789abcdef';
const TOKEN_B = 'token-b-0123456789abcdef';

let world: TestWorld;
const servers: McpHttpServer[] = [];
const clients: Client[] = [];

async function serve(options: McpHttpOptions = {}): Promise<McpHttpServer> {
  const server = await startMcpHttpServer((identity) => createMirageMcpServer(world.runtime.engine, { owner: `mcp:${identity}` }), { port: 0, ...options });
  servers.push(server);
  return server;
}

async function connect(url: string, token?: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    ...(token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}),
  });
  const client = new Client({ name: 'http-test', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

interface RawResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** A raw POST with headers fetch would not let us forge (Host). */
function rawPost(url: string, headers: Record<string, string>, body: unknown): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const listTools = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };

beforeAll(async () => {
  [world] = await Promise.all([createTestWorld(), ensureBuilt(['dist/cli/commands/mcp.js'])]);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await world?.dispose();
});

describe('session owners', () => {
  it('makes each token the owner of its sessions in the engine itself, not only in the MCP server', async () => {
    const server = await serve({ tokens: [TOKEN_A, TOKEN_B] });
    const { client } = await connect(server.url, TOKEN_A);
    const started = structured<{ session: { id: string } }>(ok(await client.callTool({ name: 'start_search', arguments: { archive: ARCHIVE } })));
    const owner = `mcp:${new BearerTokens([TOKEN_A]).identify(`Bearer ${TOKEN_A}`)}`;
    expect((await world.runtime.engine.getSession(started.session.id, { owner })).owner).toBe(owner);
    await expect(world.runtime.engine.getSession(started.session.id)).rejects.toMatchObject({ code: 'UNKNOWN_SESSION' });
    const other = `mcp:${new BearerTokens([TOKEN_B]).identify(`Bearer ${TOKEN_B}`)}`;
    await expect(world.runtime.engine.runRound(started.session.id, { query: 'a red car' }, { owner: other })).rejects.toMatchObject({ code: 'UNKNOWN_SESSION' });
  });
});

describe('binding rules', () => {
  it('binds to 127.0.0.1 by default and serves without a token there', async () => {
    const server = await serve();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const { client } = await connect(server.url);
    ok(await client.callTool({ name: 'list_archives', arguments: {} }));
  });

  it('refuses a non-loopback bind without a bearer token, and a wildcard bind without allowed hosts', async () => {
    const refusal = await startMcpHttpServer(() => createMirageMcpServer(world.runtime.engine), { host: '0.0.0.0', port: 0 }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(MirageError);
    expect((refusal as MirageError).message).toMatch(/Refusing to listen on 0\.0\.0\.0 without a bearer token/);
    const noHosts = await startMcpHttpServer(() => createMirageMcpServer(world.runtime.engine), { host: '0.0.0.0', port: 0, tokens: [TOKEN_A] }).catch(
      (e: unknown) => e,
    );
    expect((noHosts as MirageError).message).toMatch(/--allowed-host/);
    const server = await serve({ host: '0.0.0.0', tokens: [TOKEN_A], allowedHosts: ['mirage.test'] });
    const { client } = await connect(server.url, TOKEN_A);
    ok(await client.callTool({ name: 'list_archives', arguments: {} }));
  });

  it('makes `mirage mcp --http` refuse a public bind without a token', async () => {
    const result = await mirage(['--data-dir', world.dataDir, 'mcp', '--http', '--host', '0.0.0.0', '--port', '0'], { env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0 without a bearer token: .*MIRAGE_MCP_TOKEN/);
  });
});

describe('bearer tokens', () => {
  it('rejects requests without the token or with a wrong one', async () => {
    const server = await serve({ tokens: [TOKEN_A, TOKEN_B] });
    const none = await rawPost(server.url, {}, initialize);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await rawPost(server.url, { authorization: `Bearer ${TOKEN_A}x` }, initialize)).status).toBe(401);
    expect((await rawPost(server.url, { authorization: `Basic ${TOKEN_A}` }, initialize)).status).toBe(401);
    await expect(connect(server.url)).rejects.toThrow();
    const { client } = await connect(server.url, TOKEN_B);
    ok(await client.callTool({ name: 'list_archives', arguments: {} }));
  });

  it('rejects tokens too short to be secret', async () => {
    await expect(startMcpHttpServer(() => createMirageMcpServer(world.runtime.engine), { port: 0, tokens: ['short'] })).rejects.toThrow(/at least 16 characters/);
  });
});

describe('DNS-rebinding protection', () => {
  it('rejects a foreign Host or Origin header', async () => {
    const server = await serve();
    const port = new URL(server.url).port;
    const evilHost = await rawPost(server.url, { host: `evil.example:${port}` }, initialize);
    expect(evilHost.status).toBe(403);
    expect(evilHost.body).toContain('Host not allowed');
    const evilOrigin = await rawPost(server.url, { origin: 'http://evil.example' }, initialize);
    expect(evilOrigin.status).toBe(403);
    expect(evilOrigin.body).toContain('Origin not allowed');
    const local = await rawPost(server.url, { host: `localhost:${port}`, origin: `http://localhost:${port}` }, initialize);
    expect(local.status).toBe(200);
  });
});

describe('sessions belong to their client', () => {
  it('rejects an MCP session id presented with another token', async () => {
    const server = await serve({ tokens: [TOKEN_A, TOKEN_B] });
    const { transport } = await connect(server.url, TOKEN_A);
    const sessionId = transport.sessionId ?? '';
    expect(sessionId).not.toBe('');
    const stolen = await rawPost(server.url, { authorization: `Bearer ${TOKEN_B}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' }, listTools);
    expect(stolen.status).toBe(404);
    const own = await rawPost(server.url, { authorization: `Bearer ${TOKEN_A}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' }, listTools);
    expect(own.status).toBe(200);
    expect(own.body).toContain('search_round');
    const unknown = await rawPost(server.url, { authorization: `Bearer ${TOKEN_A}`, 'mcp-session-id': 'made-up' }, listTools);
    expect(unknown.status).toBe(404);
  });

  it("keeps one client's search sessions away from another client", async () => {
    const server = await serve();
    const a = await connect(server.url);
    const b = await connect(server.url);
    const { session } = structured<{ session: { id: string } }>(ok(await a.client.callTool({ name: 'start_search', arguments: { archive: ARCHIVE } })));
    ok(await a.client.callTool({ name: 'search_round', arguments: { session: session.id, description: 'a red kite in the sky' } }));
    expect(failed(await b.client.callTool({ name: 'search_round', arguments: { session: session.id, description: 'mine now' } }))).toContain(
      `Unknown session "${session.id}"`,
    );
    expect(failed(await b.client.callTool({ name: 'session_history', arguments: { session: session.id } }))).toContain('Unknown session');
    ok(await a.client.callTool({ name: 'session_history', arguments: { session: session.id } }));
    expect(server.openSessions()).toBe(2);
    await a.transport.terminateSession();
    expect(server.openSessions()).toBe(1);
  });

  it('needs initialize before anything else', async () => {
    const server = await serve();
    const response = await rawPost(server.url, {}, listTools);
    expect(response.status).toBe(400);
    expect(response.body).toContain('initialize');
  });
});

describe('limits per client', () => {
  it('gives each token its own share of sessions: one client filling its share does not lock out another', async () => {
    const TOKEN_C = 'token-c-0123456789abcdef';
    const server = await serve({ tokens: [TOKEN_A, TOKEN_B, TOKEN_C], maxSessions: 4, maxSessionsPerClient: 2 });
    await connect(server.url, TOKEN_A);
    await connect(server.url, TOKEN_A);
    const third = await rawPost(server.url, { authorization: `Bearer ${TOKEN_A}` }, initialize);
    expect(third.status).toBe(429);
    expect(third.body).toContain('Too many open MCP sessions for this client (2)');
    const b = await connect(server.url, TOKEN_B);
    ok(await b.client.callTool({ name: 'list_archives', arguments: {} }));
    await connect(server.url, TOKEN_B);
    expect(server.openSessions()).toBe(4);
    // The server-wide cap still holds.
    expect((await rawPost(server.url, { authorization: `Bearer ${TOKEN_C}` }, initialize)).status).toBe(503);
    await b.transport.terminateSession();
    expect((await rawPost(server.url, { authorization: `Bearer ${TOKEN_C}` }, initialize)).status).toBe(200);
  });

  it('closes sessions idle longer than the configured time', async () => {
    let now = 1_000_000;
    const server = await serve({ sessionIdleMs: 5_000, clock: () => now });
    // Raw requests, so that nothing reaches the server but what the test sends, when it sends it.
    const open = async () => String((await rawPost(server.url, {}, initialize)).headers['mcp-session-id']);
    const use = (id: string) => rawPost(server.url, { 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' }, listTools);
    const idle = await open();
    now += 4_000;
    const busy = await open();
    now += 2_000;
    expect((await use(busy)).status).toBe(200);
    expect(server.openSessions()).toBe(2);
    // A session opening looks for idle ones (a timer does too, on the same clock).
    await open();
    expect(server.openSessions()).toBe(2);
    expect((await use(idle)).status).toBe(404);
    expect((await use(busy)).status).toBe(200);
  });

  it('takes its settings from MIRAGE_MCP_* variables, flags first', async () => {
    const env = {
      ...process.env,
      MIRAGE_MCP_HOST: '0.0.0.0',
      MIRAGE_MCP_ALLOWED_HOSTS: 'mirage.test, other.test',
      MIRAGE_MCP_TOKEN: TOKEN_A,
      MIRAGE_MCP_SESSION_IDLE: '90',
      MIRAGE_MCP_SESSIONS_PER_CLIENT: '3',
      MIRAGE_MCP_SHARED_EVALUATIONS: '1',
    };
    const { stdout } = await promisify(execFile)(process.execPath, [BUILT_CLI, 'mcp', '--http', '--port', '9999', '--check'], { env });
    expect(JSON.parse(stdout)).toMatchObject({
      transport: 'http',
      sharedEvaluations: true,
      http: { host: '0.0.0.0', port: 9999, tokens: 1, sessionIdleMs: 90_000, maxSessionsPerClient: 3, allowedHosts: expect.arrayContaining(['mirage.test', 'other.test']) },
    });
    expect(stdout).not.toContain(TOKEN_A);
    const { MIRAGE_MCP_SHARED_EVALUATIONS: _shared, ...unshared } = env;
    const stdio = await promisify(execFile)(process.execPath, [BUILT_CLI, 'mcp', '--check'], { env: unshared });
    expect(JSON.parse(stdio.stdout)).toMatchObject({ transport: 'stdio', sharedEvaluations: false });
  });
});

describe('errors sent to clients', () => {
  it('name server files relative to the data folder, never by their absolute path', async () => {
    const config = loadConfig({}, { dataDir: world.dataDir });
    const runtime = createRuntime(config);
    const server = await startMcpHttpServer(() => createMirageMcpServer(runtime.engine, { serverPlaces: serverPlaces(config) }), { port: 0 });
    servers.push(server);
    const { client } = await connect(server.url);
    const { session } = structured<{ session: { id: string } }>(ok(await client.callTool({ name: 'start_search', arguments: { archive: ARCHIVE } })));
    await writeFile(path.join(world.dataDir, 'sessions', `${session.id}.json`), '{ not json');
    const message = failed(await client.callTool({ name: 'session_history', arguments: { session: session.id } }));
    expect(message).toContain(`sessions/${session.id}.json is not valid JSON`);
    expect(message).not.toContain(world.dataDir);
    expect(message).not.toContain(tmpdir());
    await runtime.engine.close();
  });
});
