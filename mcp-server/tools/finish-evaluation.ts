import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { sessionIdSchema } from '../../core/session/requests.js';
import { invalidInput } from '../../core/errors.js';
import { toolResult } from '../content.js';
import type { ToolContext } from '../tool-context.js';
import { sessionSummary, sessionSummarySchema } from '../views.js';

export const finishEvaluationOutput = z.object({
  session: sessionSummarySchema,
  targetId: z.string(),
  seed: z.number().int(),
  roundsPlanned: z.number().int(),
  roundsPlayed: z.number().int(),
  ranks: z.array(z.number().int()).describe("the target's 0-based rank in the whole archive, per round played"),
  bri: z.number().describe('Best log Rank Integral over the rounds played; lower is better'),
  hits: z.array(
    z.object({
      k: z.number().int(),
      cumulative: z.array(z.number()).describe('per round: 1 once the target ranked < k in any round so far'),
      firstHitRound: z.number().int().nullable().describe('1-based round of the first rank < k'),
    }),
  ),
  selected: z.object({ id: z.string(), round: z.number().int(), correct: z.boolean() }).optional(),
});

export function registerFinishEvaluation(server: McpServer, { engine, state }: ToolContext): void {
  server.registerTool(
    'finish_evaluation',
    {
      title: 'Finish an evaluation episode',
      description:
        "Ends an evaluation episode and returns its metrics: the target's rank per round, cumulative Hits@1/5/10 and BRI, computed as by `mirage eval`.",
      inputSchema: z.object({ session: sessionIdSchema }),
      outputSchema: finishEvaluationOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ session: sessionId }) => {
      state.require(sessionId);
      // Waits for a round still running, so that its rank is counted.
      return state.roundLock.run(sessionId, async () => {
        const episode = state.evaluationOf(sessionId);
        if (!episode) throw invalidInput(`Session "${sessionId}" is a normal search, not an evaluation (start one with start_evaluation).`);
        const metrics = episode.metrics();
        state.markFinished(sessionId);
        const session = await engine.getSession(sessionId);
        const { targetId, seed } = episode.plan;
        const hits = metrics.atK.map((m) => ({
          k: m.k,
          cumulative: m.cumulativeHits,
          firstHitRound: m.roundsToSuccess.meanRound === null ? null : m.roundsToSuccess.meanRound + 1,
        }));
        const selected = session.selected
          ? { id: session.selected.id, round: session.selected.round + 1, correct: session.selected.id === targetId }
          : undefined;
        const last = (values: readonly number[]) => values[values.length - 1] ?? 0;
        return toolResult(
          [
            `Evaluation ${sessionId} finished after ${episode.ranks.length} of ${episode.roundsPlanned} rounds. Target: ${targetId}.`,
            `Rank per round (0 = top hit): ${episode.ranks.join(', ')}`,
            `Hits: ${hits.map((h) => `@${h.k} ${last(h.cumulative) === 1 ? `yes (round ${h.firstHitRound})` : 'no'}`).join(', ')} | BRI ${metrics.bri.toFixed(3)}`,
            ...(selected ? [`Selected ${selected.id} in round ${selected.round}: ${selected.correct ? 'correct' : 'not the target'}.`] : []),
          ].join('\n'),
          {
            session: sessionSummary(session, true),
            targetId,
            seed,
            roundsPlanned: episode.roundsPlanned,
            roundsPlayed: episode.ranks.length,
            ranks: [...episode.ranks],
            bri: metrics.bri,
            hits,
            ...(selected ? { selected } : {}),
          },
        );
      });
    },
  );
}
