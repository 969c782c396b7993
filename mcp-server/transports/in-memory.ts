import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Engine } from '../../core/ports/engine.js';
import type { MirageMcpOptions } from '../options.js';
import { createMirageMcpServer } from '../server.js';

/**
 * An MCP client wired to a fresh Mirage server in this process, for in-process agents (the
 * mcp-agent evaluation searcher) that should see exactly what an external client sees.
 * Closing the client closes the server side too.
 */
export async function connectInMemory(engine: Engine, options: MirageMcpOptions = {}, clientName = 'mirage-in-process'): Promise<Client> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await createMirageMcpServer(engine, options).connect(serverTransport);
  const client = new Client({ name: clientName, version: '1.0.0' });
  await client.connect(clientTransport);
  return client;
}
