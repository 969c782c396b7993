import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Engine } from '../core/engine/engine.js';
import { ClientState } from './client-state.js';
import { resolveOptions, type MirageMcpOptions } from './options.js';
import { registerPrompts } from './prompts.js';
import { registerImageResources } from './resources.js';
import type { ToolContext } from './tool-context.js';
import { registerFinishEvaluation } from './tools/finish-evaluation.js';
import { registerListArchives } from './tools/list-archives.js';
import { registerSearchRound } from './tools/search-round.js';
import { registerSelectResult } from './tools/select-result.js';
import { registerSessionHistory } from './tools/session-history.js';
import { registerShowImage } from './tools/show-image.js';
import { registerStartEvaluation } from './tools/start-evaluation.js';
import { registerStartSearch } from './tools/start-search.js';

export const SERVER_INFO = { name: 'mirage', version: '0.1.0' } as const;

const TOOLS = [
  registerListArchives,
  registerStartSearch,
  registerSearchRound,
  registerShowImage,
  registerSelectResult,
  registerSessionHistory,
  registerStartEvaluation,
  registerFinishEvaluation,
] as const;

/**
 * One MCP server for one client connection. Its sessions belong to that client alone, so a
 * transport that serves several clients (Streamable HTTP) creates one server per MCP session.
 */
export function createMirageMcpServer(engine: Engine, options: MirageMcpOptions = {}): McpServer {
  const ctx: ToolContext = { engine, options: resolveOptions(options), state: new ClientState() };
  const server = new McpServer(SERVER_INFO, {
    instructions:
      'Mirage finds an image a person remembers. Start with the mental-image-searcher prompt, or: list_archives, ' +
      'start_search, then search_round repeatedly, refining the description after looking at the synthetic image ' +
      'and the contact sheet; select_result when found. start_evaluation / finish_evaluation run a measured episode.',
  });
  for (const register of TOOLS) register(server, ctx);
  registerImageResources(server, ctx);
  registerPrompts(server);
  return server;
}
