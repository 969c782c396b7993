import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { MirageError } from '../../errors.js';
import type { FunctionTool } from '../vlm/chat-messages.js';

/**
 * The MCP tools the agent may call during an episode, and the arguments the harness fills in
 * itself (the episode's session and archive), which are hidden from the model: a model that
 * mistypes a session id should not lose the episode, and it cannot choose another archive.
 */
export const AGENT_TOOLS = {
  search_round: ['session'],
  show_image: ['archive'],
  session_history: ['session'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export type AgentToolName = keyof typeof AGENT_TOOLS;

export const isAgentTool = (name: string): name is AgentToolName => Object.hasOwn(AGENT_TOOLS, name);

/** OpenAI function tools from the server's MCP tool list, their input schemas minus the filled-in arguments. */
export function functionToolsFrom(tools: readonly Tool[]): FunctionTool[] {
  return (Object.keys(AGENT_TOOLS) as AgentToolName[]).map((name) => {
    const tool = tools.find((t) => t.name === name);
    if (!tool) throw new MirageError('NOT_SUPPORTED', `The MCP server offers no ${name} tool; the agent needs it.`);
    const hidden = new Set<string>(AGENT_TOOLS[name]);
    const properties = Object.fromEntries(Object.entries(tool.inputSchema.properties ?? {}).filter(([key]) => !hidden.has(key)));
    const required = (tool.inputSchema.required ?? []).filter((key) => !hidden.has(key));
    return {
      type: 'function',
      function: {
        name,
        ...(tool.description ? { description: tool.description } : {}),
        parameters: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) },
      },
    };
  });
}
