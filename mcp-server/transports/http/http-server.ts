import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { invalidInput } from '../../../core/errors.js';
import { BearerTokens } from './bearer-tokens.js';
import { allowedRequestHosts } from './host-check.js';
import { BodyError, readJsonBody } from './json-body.js';
import { isLoopbackBind, LOOPBACK_HOSTNAMES, urlHostname } from './loopback.js';
import { clientSafeText } from '../../../core/render/client-safe-text.js';

export interface McpHttpOptions {
  /** Bind address; default 127.0.0.1. Any other needs tokens. */
  readonly host?: string;
  /** Default 8765; 0 picks a free port. */
  readonly port?: number;
  /** Accepted bearer tokens; one per client keeps clients apart. */
  readonly tokens?: readonly string[];
  /** Host names clients may use besides loopback and the bind address (DNS-rebinding allow list). */
  readonly allowedHosts?: readonly string[];
  /** MCP sessions unused this long are closed; default 30 minutes. */
  readonly sessionIdleMs?: number;
  /** Open MCP sessions at most, all clients together; default 100. */
  readonly maxSessions?: number;
  /** Open MCP sessions at most per client identity (bearer token); default 10, so one client cannot fill the server. */
  readonly maxSessionsPerClient?: number;
  /** Milliseconds since the epoch; tests pass their own to make sessions idle without waiting. */
  readonly clock?: () => number;
}

/** The settings a server runs with, checked: what `mirage mcp --http --check` prints. */
export interface McpHttpSettings {
  readonly host: string;
  readonly port: number;
  /** How many bearer tokens are accepted (the tokens themselves are never shown). */
  readonly tokens: number;
  /** Host names accepted in Host and Origin headers. */
  readonly allowedHosts: readonly string[];
  readonly sessionIdleMs: number;
  readonly maxSessions: number;
  readonly maxSessionsPerClient: number;
}

export interface McpHttpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:8765/mcp. */
  readonly url: string;
  /** MCP sessions currently open. */
  openSessions(): number;
  close(): Promise<void>;
}

export const MCP_PATH = '/mcp';
export const DEFAULT_MCP_PORT = 8765;
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
export const DEFAULT_MAX_SESSIONS = 100;
export const DEFAULT_MAX_SESSIONS_PER_CLIENT = 10;
/** Idle sessions are looked for at least this often (and whenever a session opens). */
const IDLE_SWEEP_MS = 60_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]']);

interface OpenSession {
  readonly transport: StreamableHTTPServerTransport;
  readonly server: McpServer;
  /** The client identity (token digest prefix) that opened it; only it may use the session. */
  readonly identity: string;
  lastSeen: number;
}

/**
 * Streamable HTTP front of the MCP server. Each MCP session gets its own McpServer (and so its
 * own Mirage sessions) and is bound to the bearer token that opened it; a request presenting
 * another token, or none, gets the same 404 as an unknown session id.
 * `identity` names the client: its token's digest prefix, or "anonymous" without tokens.
 */
export async function startMcpHttpServer(createMcpServer: (identity: string) => McpServer, options: McpHttpOptions = {}): Promise<McpHttpServer> {
  const settings = mcpHttpSettings(options);
  const { host, sessionIdleMs: idleMs, maxSessions, maxSessionsPerClient } = settings;
  const tokens = new BearerTokens(options.tokens ?? []);
  const allowed = new Set(settings.allowedHosts);
  const now = options.clock ?? Date.now;
  const sessions = new Map<string, OpenSession>();

  const closeIdle = async () => {
    const at = now();
    const idle = [...sessions.values()].filter((s) => at - s.lastSeen > idleMs);
    await Promise.all(idle.map((s) => s.transport.close()));
  };
  const sweep = setInterval(() => void closeIdle(), Math.min(idleMs, IDLE_SWEEP_MS));
  sweep.unref();

  const openSession = async (req: IncomingMessage, res: ServerResponse, identity: string, body: unknown) => {
    await closeIdle();
    const own = [...sessions.values()].filter((s) => s.identity === identity).length;
    if (own >= maxSessionsPerClient) {
      sendError(res, 429, `Too many open MCP sessions for this client (${maxSessionsPerClient}); close one (HTTP DELETE) or let one go idle.`);
      return;
    }
    if (sessions.size >= maxSessions) {
      sendError(res, 503, `Too many open MCP sessions (${maxSessions}); close one (HTTP DELETE) or try later.`);
      return;
    }
    const server = createMcpServer(identity);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void sessions.set(id, { transport, server, identity, lastSeen: now() }),
    });
    // Set before connect: the server chains its own close handling after this one.
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const hosts = allowedRequestHosts({ host: req.headers.host, origin: req.headers.origin }, allowed);
    if (!hosts.ok) return sendError(res, 403, hosts.reason);
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== MCP_PATH) return sendError(res, 404, `Not found; the MCP endpoint is ${MCP_PATH}.`);
    const identity = tokens.identify(req.headers.authorization);
    if (identity === undefined) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="mirage-mcp"');
      return sendError(res, 401, 'Missing or wrong bearer token (Authorization: Bearer <token>).');
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session || session.identity !== identity) return sendError(res, 404, 'Session not found.');
      session.lastSeen = now();
      return session.transport.handleRequest(req, res);
    }
    if (req.method !== 'POST') return sendError(res, 400, 'No MCP session: POST an initialize request first.');
    const body = await readJsonBody(req, MAX_BODY_BYTES);
    if (!isInitializeRequest(body)) return sendError(res, 400, 'No MCP session: the first request must be initialize.');
    return openSession(req, res, identity, body);
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof BodyError) sendError(res, error.status, error.message);
      else sendError(res, 500, `Internal error: ${clientSafeText(error instanceof Error ? error.message : String(error))}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (e) => {
      clearInterval(sweep);
      reject(e);
    });
    http.listen(settings.port, host, () => {
      http.removeAllListeners('error');
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = WILDCARD_BINDS.has(host) ? '127.0.0.1' : urlHostname(host);
  return {
    url: `http://${shownHost}:${port}${MCP_PATH}`,
    openSessions: () => sessions.size,
    async close() {
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map((s) => s.transport.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Checks and completes the options: refuses binds that would expose the server unprotected. */
export function mcpHttpSettings(options: McpHttpOptions = {}): McpHttpSettings {
  const host = options.host ?? '127.0.0.1';
  const tokens = new BearerTokens(options.tokens ?? []);
  const positive = (what: string, value: number | undefined, fallback: number) => {
    const n = value ?? fallback;
    if (!Number.isSafeInteger(n) || n < 1) throw invalidInput(`${what} must be a whole number of at least 1; got ${n}.`);
    return n;
  };
  const sessionIdleMs = positive('The idle time of an MCP session', options.sessionIdleMs, DEFAULT_SESSION_IDLE_MS);
  const maxSessions = positive('The number of MCP sessions', options.maxSessions, DEFAULT_MAX_SESSIONS);
  const maxSessionsPerClient = Math.min(maxSessions, positive('The number of MCP sessions per client', options.maxSessionsPerClient, DEFAULT_MAX_SESSIONS_PER_CLIENT));
  if (!isLoopbackBind(host) && !tokens.configured) {
    throw invalidInput(
      `Refusing to listen on ${host} without a bearer token: anyone who can reach it could use the server. Set MIRAGE_MCP_TOKEN or pass --token, or bind to 127.0.0.1.`,
    );
  }
  if (WILDCARD_BINDS.has(host) && (options.allowedHosts ?? []).length === 0) {
    throw invalidInput(
      `Listening on all interfaces (${host}) needs the host names clients will use (--allowed-host or MIRAGE_MCP_ALLOWED_HOSTS), for DNS-rebinding protection.`,
    );
  }
  const allowedHosts = [
    ...new Set([
      ...LOOPBACK_HOSTNAMES,
      ...(WILDCARD_BINDS.has(host) ? [] : [urlHostname(host)]),
      ...(options.allowedHosts ?? []).map(urlHostname),
    ]),
  ];
  const port = options.port ?? DEFAULT_MCP_PORT;
  return { host, port, tokens: tokens.count, allowedHosts, sessionIdleMs, maxSessions, maxSessionsPerClient };
}

/** A JSON-RPC error body, which MCP clients show as the error message. */
function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}
