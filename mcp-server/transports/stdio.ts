import type { Readable, Writable } from 'node:stream';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/**
 * Serves one client over stdin/stdout until the client closes stdin. stdout carries only
 * JSON-RPC: anything else written there breaks the protocol, so logs go to stderr.
 */
export async function serveStdio(server: McpServer, stdin: Readable = process.stdin, stdout: Writable = process.stdout): Promise<void> {
  const transport = new StdioServerTransport(stdin, stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
  });
  // The SDK transport does not watch for end of input; without this the process never exits.
  stdin.once('end', () => void server.close());
  await server.connect(transport);
  await closed;
}
