import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { MirageError } from '../../errors.js';

/** What the model gets back from one tool call: text for the tool message, images as data URLs. */
export interface ToolOutput {
  readonly text: string;
  readonly images: readonly string[];
  readonly isError: boolean;
  readonly structured?: Record<string, unknown>;
}

/** Reads a tools/call result (in any shape the SDK client returns) into text and images. */
export function toolOutput(result: unknown): ToolOutput {
  const parsed = CallToolResultSchema.safeParse(result);
  if (!parsed.success) throw new MirageError('MODEL_ERROR', 'The MCP server returned a malformed tool result.');
  const { content, isError, structuredContent } = parsed.data as CallToolResult;
  const text = content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
  const images = content.flatMap((block) => (block.type === 'image' ? [`data:${block.mimeType};base64,${block.data}`] : []));
  return { text, images, isError: isError === true, ...(structuredContent ? { structured: structuredContent } : {}) };
}

/** A tool result the harness itself depends on; an error there ends the episode. */
export function requireOk(name: string, output: ToolOutput): Record<string, unknown> {
  if (output.isError) throw new MirageError('INVALID_INPUT', `MCP tool ${name} failed: ${output.text}`);
  if (!output.structured) throw new MirageError('MODEL_ERROR', `MCP tool ${name} returned no structured result.`);
  return output.structured;
}
