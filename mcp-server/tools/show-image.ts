import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { archiveNameSchema, imageRefSchema } from '../../core/session/requests.js';
import { imageBlock, resourceLink, toolResult } from '../content.js';
import type { ToolContext } from '../tool-context.js';
import { archiveImageUri } from '../uris.js';

const archiveRef = imageRefSchema.options[0].shape;

export const showImageInput = z.object({
  archive: archiveNameSchema,
  id: archiveRef.id.describe('image id, as in the hits of search_round'),
  size: z.enum(['thumb', 'full']).default('full').describe('thumb is a small preview'),
});

export function registerShowImage(server: McpServer, { engine, options, state }: ToolContext): void {
  server.registerTool(
    'show_image',
    {
      title: 'Show an archive image',
      description:
        'Shows one archive image (for a closer look at a hit) with its caption where known. ' +
        'During an evaluation: only images the evaluation showed, without captions.',
      inputSchema: showImageInput,
      outputSchema: z.object({
        archive: z.string(),
        id: z.string(),
        size: z.enum(['thumb', 'full']),
        width: z.number().int().describe('of the stored image, before any shrinking to fit the size cap'),
        height: z.number().int(),
        caption: z.string().optional(),
        uri: z.string().describe('resource with the full-size image'),
      }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ archive, id, size }) => {
      state.assertMayShowArchiveImage(archive, id);
      let stored = { width: 0, height: 0 };
      // Read when its turn to be encoded comes (see clientImage); only its size is kept.
      const block = await imageBlock(async () => {
        const image = await engine.getImage({ kind: 'archive', archive, id }, size);
        stored = { width: image.width, height: image.height };
        return image;
      }, options);
      // Captions are the archive's ground truth; an evaluation searcher works from pixels (see sealedRound).
      const caption = options.browser && !state.sealedBy() ? (await options.browser.images(archive)).caption(id) : undefined;
      const uri = archiveImageUri(archive, id);
      return toolResult(
        `Image ${id} of archive "${archive}" (${stored.width}x${stored.height})${caption ? `: ${caption}` : ''}`,
        { archive, id, size, width: stored.width, height: stored.height, ...(caption ? { caption } : {}), uri },
        [block, resourceLink(uri, id, `Image ${id}`)],
      );
    },
  );
}
