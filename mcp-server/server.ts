import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ServerPlace } from '../core/render/client-safe-text.js';
import { sendClientSafeErrors } from './client-safe-transport.js';
import type { Engine } from '../core/ports/engine.js';
import { engineForOwner } from '../core/turns/engine-for-owner.js';
import { ClientState } from './client-state.js';
import { resolveOptions, type MirageMcpOptions } from './options.js';
import { registerPrompts } from './searcher-prompt.js';
import { registerImageResources } from './resources.js';
import type { ToolContext } from './tool-context.js';
import { registerTools } from './tools/index.js';

export const SERVER_INFO = { name: 'mirage', version: '0.1.0' } as const;

/** An McpServer whose error texts name server files only relative to where they are (see sendClientSafeErrors). */
class MirageMcpServer extends McpServer {
  constructor(
    private readonly places: readonly ServerPlace[],
    ...args: ConstructorParameters<typeof McpServer>
  ) {
    super(...args);
  }

  override connect(transport: Transport): Promise<void> {
    return super.connect(sendClientSafeErrors(transport, this.places));
  }
}

/**
 * One MCP server for one client connection. Its sessions belong to that client alone, so a
 * transport that serves several clients (Streamable HTTP) creates one server per MCP session.
 */
export function createMirageMcpServer(engine: Engine, options: MirageMcpOptions = {}): McpServer {
  const resolved = resolveOptions(options);
  const ctx: ToolContext = {
    engine: resolved.owner !== undefined ? engineForOwner(engine, resolved.owner) : engine,
    options: resolved,
    state: new ClientState(resolved.owner, resolved.seals),
  };
  const server = new MirageMcpServer(ctx.options.serverPlaces, SERVER_INFO, {
    instructions:
      'Mirage finds an image a person remembers. Start with the mental-image-searcher prompt, or: list_archives, ' +
      'start_search, then search_round repeatedly, refining the description after looking at the synthetic image ' +
      'and the contact sheet; select_result when found. start_evaluation / finish_evaluation run a measured episode.',
  });
  registerTools(server, ctx);
  registerImageResources(server, ctx);
  registerPrompts(server);
  // An evaluation left open by a client that went away must not seal its other connections forever.
  server.server.onclose = () => ctx.state.close();
  return server;
}
