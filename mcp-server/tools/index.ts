import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolContext } from '../tool-context.js';
import { registerFinishEvaluation } from './finish-evaluation.js';
import { registerListArchives } from './list-archives.js';
import { registerSearchRound } from './search-round.js';
import { registerSelectResult } from './select-result.js';
import { registerSessionHistory } from './session-history.js';
import { registerShowImage } from './show-image.js';
import { registerStartEvaluation } from './start-evaluation.js';
import { registerStartSearch } from './start-search.js';

/** Every tool the server offers, one file each, in the order clients list them. */
const TOOLS: readonly ((server: McpServer, ctx: ToolContext) => void)[] = [
  registerListArchives,
  registerStartSearch,
  registerSearchRound,
  registerShowImage,
  registerSelectResult,
  registerSessionHistory,
  registerStartEvaluation,
  registerFinishEvaluation,
];

export function registerTools(server: McpServer, ctx: ToolContext): void {
  for (const register of TOOLS) register(server, ctx);
}
