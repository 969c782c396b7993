import type { CallToolResult, ImageContent, ResourceLink } from '@modelcontextprotocol/sdk/types.js';
import type { EncodedImage } from '../core/images/raw-image.js';
import { clientImage } from '../core/images/client-image.js';
import type { ResolvedOptions } from './options.js';

export type ContentBlock = CallToolResult['content'][number];

/**
 * An inline image under the configured size cap, without the file's metadata (see clientImage);
 * given as a read, the image is fetched when its turn to be encoded comes.
 */
export async function imageBlock(image: EncodedImage | (() => Promise<EncodedImage>), options: ResolvedOptions): Promise<ImageContent> {
  const bytes = typeof image === 'function' ? async () => (await image()).bytes : image.bytes;
  const small = await clientImage(bytes, { maxBytes: options.maxImageBytes, mime: options.imageMime });
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
