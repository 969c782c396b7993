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

export interface McpHttpOptions {
  /** Bind address; default 127.0.0.1. Any other needs tokens. */
  readonly host?: string;
  /** Default 8765; 0 picks a free port. */
  readonly port?: number;
  /** Accepted bearer tokens; one per client keeps clients apart. */
  readonly tokens?: readonly string[];
  /** Host names clients may use besides loopback and the bind address (DNS-rebinding allow list). */
  readonly allowedHosts?: readonly string[];
  /** MCP sessions unused this long are closed when new ones open; default 30 minutes. */
  readonly sessionIdleMs?: number;
  /** Open MCP sessions at most; default 100. */
  readonly maxSessions?: number;
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
 */
/** `identity` names the client (its token's digest prefix, or "anonymous" without tokens). */
export async function startMcpHttpServer(createMcpServer: (identity: string) => McpServer, options: McpHttpOptions = {}): Promise<McpHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const tokens = new BearerTokens(options.tokens ?? []);
  const idleMs = options.sessionIdleMs ?? 30 * 60_000;
  const maxSessions = options.maxSessions ?? 100;
  if (!isLoopbackBind(host) && !tokens.configured) {
    throw invalidInput(
      `Refusing to listen on ${host} without a bearer token: anyone who can reach it could use the server. Set MIRAGE_MCP_TOKEN or pass --token, or bind to 127.0.0.1.`,
    );
  }
  if (WILDCARD_BINDS.has(host) && (options.allowedHosts ?? []).length === 0) {
    throw invalidInput(
      `Listening on all interfaces (${host}) needs the host names clients will use (--allowed-host), for DNS-rebinding protection.`,
    );
  }
  const allowed = new Set([
    ...LOOPBACK_HOSTNAMES,
    ...(WILDCARD_BINDS.has(host) ? [] : [urlHostname(host)]),
    ...(options.allowedHosts ?? []).map(urlHostname),
  ]);
  const sessions = new Map<string, OpenSession>();

  const closeIdle = async (now: number) => {
    const idle = [...sessions.values()].filter((s) => now - s.lastSeen > idleMs);
    await Promise.all(idle.map((s) => s.transport.close()));
  };

  const openSession = async (req: IncomingMessage, res: ServerResponse, identity: string, body: unknown) => {
    await closeIdle(Date.now());
    if (sessions.size >= maxSessions) {
      sendError(res, 503, `Too many open MCP sessions (${maxSessions}); close one (HTTP DELETE) or try later.`);
      return;
    }
    const server = createMcpServer(identity);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void sessions.set(id, { transport, server, identity, lastSeen: Date.now() }),
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
      session.lastSeen = Date.now();
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
      else sendError(res, 500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? DEFAULT_MCP_PORT, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = WILDCARD_BINDS.has(host) ? '127.0.0.1' : urlHostname(host);
  return {
    url: `http://${shownHost}:${port}${MCP_PATH}`,
    openSessions: () => sessions.size,
    async close() {
      await Promise.all([...sessions.values()].map((s) => s.transport.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
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
