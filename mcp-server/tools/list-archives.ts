import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { formatArchivesTable } from '../../core/render/archives-table.js';
import { toolResult } from '../content.js';
import type { ToolContext } from '../tool-context.js';

const outputSchema = z.object({
  archives: z.array(
    z.object({
      name: z.string(),
      images: z.number().int(),
      embedder: z.string(),
      origin: z.enum(['scenes', 'ingest']),
      updatedAt: z.string(),
    }),
  ),
});

export function registerListArchives(server: McpServer, { engine }: ToolContext): void {
  server.registerTool(
    'list_archives',
    {
      title: 'List archives',
      description: 'The image archives that can be searched, with their sizes.',
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async () => {
      const manifests = await engine.listArchives();
      const archives = manifests.map((m) => ({
        name: m.name,
        images: m.count,
        embedder: m.embedder,
        origin: m.origin.kind,
        updatedAt: m.updatedAt,
      }));
      return toolResult(formatArchivesTable(manifests), { archives });
    },
  );
}
