import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { sessionIdSchema } from '../../core/session/requests.js';
import { resolveHitReference } from '../../core/turns/hit-references.js';
import { toolResult } from '../content.js';
import type { ToolContext } from '../tool-context.js';
import { sessionSummary, sessionSummarySchema } from '../views.js';

export const selectResultInput = z.object({
  session: sessionIdSchema,
  result: z.string().min(1).max(256).describe('hit number of the last round ("3") or an image id'),
});

export function registerSelectResult(server: McpServer, { engine, state }: ToolContext): void {
  server.registerTool(
    'select_result',
    {
      title: 'Select the image you were looking for',
      description: 'Records that you found the image you had in mind; the session ends.',
      inputSchema: selectResultInput,
      outputSchema: z.object({
        session: sessionSummarySchema,
        selected: z.object({ id: z.string(), round: z.number().int().describe('1-based') }),
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ session: sessionId, result }) => {
      state.requireUsable(sessionId, 'select_result');
      const evaluation = state.evaluationOf(sessionId) !== undefined;
      const imageId = resolveHitReference(await engine.getSession(sessionId), result, { shownOnly: evaluation });
      const session = await engine.selectResult(sessionId, imageId);
      const round = (session.selected?.round ?? 0) + 1;
      return toolResult(
        `Recorded: image ${imageId} found in round ${round} of session ${sessionId}. The session has ended.` +
          (evaluation ? ' Call finish_evaluation for the episode metrics.' : ''),
        { session: sessionSummary(session, evaluation), selected: { id: imageId, round } },
      );
    },
  );
}
