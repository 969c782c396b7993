import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { sessionIdSchema } from '../../core/session/requests.js';
import type { Round } from '../../core/session/session.js';
import { toolResult } from '../content.js';
import type { ToolContext } from '../tool-context.js';
import { roundSchema, roundView, sealedRound, sessionSummary, sessionSummarySchema } from '../views.js';

/** Hits named per round in the text summary; the structured content has them all. */
const TEXT_HITS = 3;

export function registerSessionHistory(server: McpServer, { engine, state }: ToolContext): void {
  server.registerTool(
    'session_history',
    {
      title: 'Session history',
      description: 'Every round of a session so far: descriptions, feedback on hits, what the system showed, and the hits.',
      inputSchema: z.object({ session: sessionIdSchema }),
      outputSchema: z.object({
        session: sessionSummarySchema,
        rounds: z.array(roundSchema),
        selected: z.object({ id: z.string(), round: z.number().int().describe('1-based') }).optional(),
      }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ session: sessionId }) => {
      state.requireUsable(sessionId, 'session_history');
      const evaluation = state.isEvaluation(sessionId);
      const stored = await engine.getSession(sessionId);
      const session = evaluation ? { ...stored, rounds: stored.rounds.map(sealedRound) } : stored;
      const selected = session.selected ? { id: session.selected.id, round: session.selected.round + 1 } : undefined;
      const lines = [
        `Session ${session.id} | archive ${session.archive} | strategy ${session.strategy} | ${session.status} | ${session.rounds.length} round${session.rounds.length === 1 ? '' : 's'}`,
        ...session.rounds.map(roundLine),
        ...(selected ? [`Selected: ${selected.id} (round ${selected.round})`] : []),
      ];
      return toolResult(lines.join('\n'), {
        session: sessionSummary(session, evaluation),
        rounds: session.rounds.map((round) => roundView(session.archive, round)),
        ...(selected ? { selected } : {}),
      });
    },
  );
}

function roundLine(round: Round): string {
  const top = round.hits
    .slice(0, TEXT_HITS)
    .map((h) => `#${h.rank + 1} ${h.id}`)
    .join(', ');
  return `Round ${round.index + 1}: "${round.query}" -> ${top || 'no hits'}`;
}
