import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { clientSafeText, type ServerPlace } from '../core/render/client-safe-text.js';

/**
 * Makes a transport send error texts as clientSafeText has them: JSON-RPC errors and tool
 * results marked isError carry no absolute server path, whichever tool, resource or SDK layer
 * produced them. Everything else passes untouched.
 */
export function sendClientSafeErrors(transport: Transport, places: readonly ServerPlace[]): Transport {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => send(clientSafeMessage(message, places), options);
  return transport;
}

function clientSafeMessage(message: JSONRPCMessage, places: readonly ServerPlace[]): JSONRPCMessage {
  if ('error' in message) return { ...message, error: { ...message.error, message: clientSafeText(message.error.message, places) } };
  if (!('result' in message) || message.result.isError !== true || !Array.isArray(message.result.content)) return message;
  const content = (message.result.content as unknown[]).map((block) =>
    isTextBlock(block) ? { ...block, text: clientSafeText(block.text, places) } : block,
  );
  return { ...message, result: { ...message.result, content } };
}

const isTextBlock = (block: unknown): block is { type: 'text'; text: string } =>
  typeof block === 'object' && block !== null && (block as { type?: unknown }).type === 'text' && typeof (block as { text?: unknown }).text === 'string';
