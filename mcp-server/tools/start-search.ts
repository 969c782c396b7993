import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { archiveNameSchema, startSessionSchema } from '../../core/session/requests.js';
import { toolResult } from '../content.js';
import type { ToolContext } from '../tool-context.js';
import { sessionSummary, sessionSummarySchema } from '../views.js';

const { strategy, k, samples, seed } = startSessionSchema.shape;

export const startSearchInput = z.object({
  archive: archiveNameSchema.describe('archive to search (see list_archives)'),
  strategy: strategy.describe('feedback strategy; generative shows how the system pictured the description'),
  k: k.describe('hits per round'),
  samples: samples.describe('synthetic images per round (generative and hybrid)'),
  seed: seed.describe('session seed, for reproducible rounds'),
});

export function registerStartSearch(server: McpServer, { engine, state }: ToolContext): void {
  server.registerTool(
    'start_search',
    {
      title: 'Start a search',
      description:
        'Starts a search session on an archive. Then call search_round with a description of the image you have in mind.',
      inputSchema: startSearchInput,
      outputSchema: z.object({ session: sessionSummarySchema }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (input) => {
      state.assertUnsealed('start_search');
      const session = await engine.startSession(input);
      state.own(session.id);
      return toolResult(
        `Started session ${session.id} on archive "${session.archive}" (strategy ${session.strategy}, ${session.k} hits per round). ` +
          'Call search_round with this session and a description of the image.',
        { session: sessionSummary(session, false) },
      );
    },
  );
}
