import { McpAgentSearcher, type McpAgentSearcherOptions } from '../core/eval/mcp-agent/mcp-agent-searcher.js';
import type { VlmConfig } from '../core/eval/vlm/vlm-config.js';
import { connectInMemory } from './transports/in-memory.js';
import type { MirageMcpOptions } from './options.js';

/**
 * The mcp-agent searcher wired to this MCP server in process: each episode gets its own
 * in-memory client/server pair over the evaluation's engine.
 */
export function createMcpAgentSearcher(
  config: VlmConfig,
  options: Omit<McpAgentSearcherOptions, 'config' | 'connect'> & { readonly mcp?: MirageMcpOptions } = {},
): McpAgentSearcher {
  const { mcp = {}, ...rest } = options;
  return new McpAgentSearcher({
    ...rest,
    config,
    connect: (engine, assignment) =>
      connectInMemory(engine, { ...mcp, assignEvaluation: () => Promise.resolve(assignment) }, 'mirage-mcp-agent'),
  });
}
