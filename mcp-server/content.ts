import type { CallToolResult, ImageContent, ResourceLink } from '@modelcontextprotocol/sdk/types.js';
import type { EncodedImage } from '../core/images/raw-image.js';
import { encodeWithinBytes } from '../core/images/within-bytes.js';
import type { ResolvedOptions } from './options.js';

export type ContentBlock = CallToolResult['content'][number];

/** An inline image under the configured size cap (re-encoded, shrunk only when it must be). */
export async function imageBlock(image: EncodedImage, options: ResolvedOptions): Promise<ImageContent> {
  const small = await encodeWithinBytes(image, { maxBytes: options.maxImageBytes, mime: options.imageMime });
  return { type: 'image', data: small.bytes.toString('base64'), mimeType: small.mime };
}

export function resourceLink(uri: string, name: string, description: string, mimeType?: string): ResourceLink {
  return { type: 'resource_link', uri, name, description, ...(mimeType ? { mimeType } : {}) };
}

/**
 * A tool result as every Mirage tool returns it: a text summary first (for clients that show
 * only text), then images and links, and the same facts as structured content.
 */
export function toolResult(
  text: string,
  structured: Record<string, unknown>,
  blocks: readonly ContentBlock[] = [],
): CallToolResult {
  return { content: [{ type: 'text', text }, ...blocks], structuredContent: structured };
}
