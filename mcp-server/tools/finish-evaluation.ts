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
  scored: z.boolean().describe('false for practice episodes (target or seed chosen by the client) and for episodes abandoned before any round'),
  roundsPlanned: z.number().int(),
  roundsPlayed: z.number().int(),
  ranks: z.array(z.number().int()).describe("the target's 0-based rank in the whole archive, per round played"),
  bri: z.number().nullable().describe('Best log Rank Integral over the rounds played; lower is better (null without rounds)'),
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
        "Ends an evaluation episode and returns its metrics: the target's rank per round, cumulative Hits@1/5/10 and BRI, computed as by `mirage eval`. " +
        'Finishing before any round abandons the episode (nothing measured). The seal on other sessions and images is lifted.',
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
        state.markFinished(sessionId);
        const session = await engine.getSession(sessionId);
        const { targetId, chosenBy } = episode.plan;
        const played = episode.ranks.length;
        const common = { session: sessionSummary(session, true), targetId, roundsPlanned: episode.roundsPlanned, roundsPlayed: played };
        if (played === 0) {
          return toolResult(`Evaluation ${sessionId} abandoned before any round: nothing was measured. Target: ${targetId}.`, {
            ...common,
            scored: false,
            ranks: [],
            bri: null,
            hits: [],
          });
        }
        const metrics = episode.metrics();
        const scored = chosenBy === 'evaluator';
        const hits = metrics.atK.map((m) => ({
          k: m.k,
          cumulative: m.cumulativeHits,
          firstHitRound: m.roundsToSuccess.meanRound === null ? null : m.roundsToSuccess.meanRound + 1,
        }));
        const selected = session.selected
          ? { id: session.selected.id, round: session.selected.round + 1, correct: session.selected.id === targetId }
          : undefined;
        const last = (values: readonly number[]) => values[values.length - 1] ?? 0;
        // The run seed stays secret: with it a client could make the server draw this target again.
        return toolResult(
          [
            `Evaluation ${sessionId} finished after ${played} of ${episode.roundsPlanned} rounds. Target: ${targetId}.` +
              (scored ? '' : ' Practice episode (target or seed chosen by the client): not scored.'),
            `Rank per round (0 = top hit): ${episode.ranks.join(', ')}`,
            `Hits: ${hits.map((h) => `@${h.k} ${last(h.cumulative) === 1 ? `yes (round ${h.firstHitRound})` : 'no'}`).join(', ')} | BRI ${metrics.bri.toFixed(3)}`,
            ...(selected ? [`Selected ${selected.id} in round ${selected.round}: ${selected.correct ? 'correct' : 'not the target'}.`] : []),
          ].join('\n'),
          { ...common, scored, ranks: [...episode.ranks], bri: metrics.bri, hits, ...(selected ? { selected } : {}) },
        );
      });
    },
  );
}
