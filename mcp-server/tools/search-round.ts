import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { LIMITS, roundRequestSchema, sessionIdSchema } from '../../core/session/requests.js';
import { describeFeedback } from '../../core/render/feedback-text.js';
import { formatHitsTable } from '../../core/render/hits-table.js';
import { renderRoundSheet } from '../../core/turns/round-sheet.js';
import { syntheticPngs } from '../../core/turns/synthetic-images.js';
import { shownImageIds } from '../../core/turns/hit-references.js';
import { runSearchTurn, type SearchTurn } from '../../core/turns/search-turn.js';
import { imageBlock, resourceLink, toolResult, type ContentBlock } from '../content.js';
import { progressNotifier } from '../progress-notifier.js';
import type { ToolContext } from '../tool-context.js';
import { archiveImageUri, syntheticImageUri } from '../uris.js';
import { roundSchema, roundView, sealedRound, sessionSummary, sessionSummarySchema } from '../views.js';

const hitReferences = (what: string) =>
  z
    .array(z.string().min(1).max(256))
    .max(LIMITS.maxFeedbackIds)
    .optional()
    .describe(`${what}: hit numbers of the previous round ("3") or image ids`);

export const searchRoundInput = z.object({
  session: sessionIdSchema.describe('session id from start_search or start_evaluation'),
  description: roundRequestSchema.shape.query.describe(
    `what the image you have in mind shows, rewritten in full each round (at most ${LIMITS.maxQueryChars} characters)`,
  ),
  closerTo: hitReferences('hits closer to the image you have in mind'),
  notThese: hitReferences('hits that are wrong (they are not shown again)'),
});

/** Sheets of more than one screenful get smaller cells, so that the capped image stays legible. */
const BIG_SHEET = { threshold: 10, columns: 10, cell: 96 } as const;

export function registerSearchRound(server: McpServer, ctx: ToolContext): void {
  const { engine, state } = ctx;
  server.registerTool(
    'search_round',
    {
      title: 'Run a search round',
      description:
        'Searches with a description of the image you have in mind. Returns how the system understood it ' +
        '(synthetic images, the best match, or a question, depending on the strategy), the top hits as one ' +
        'numbered contact sheet, and the hits as a list. Compare what you see with the image you have in mind ' +
        'and call again with a corrected, complete description. Rounds of a session run one at a time.',
      inputSchema: searchRoundInput,
      outputSchema: z.object({
        session: sessionSummarySchema,
        round: roundSchema,
        evaluation: z.object({ roundsLeft: z.number().int() }).optional(),
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ session: sessionId, description, closerTo, notThese }, extra) => {
      state.requireUsable(sessionId, 'search_round');
      return state.roundLock.run(sessionId, async () => {
        // Checked inside the lock: a finish_evaluation queued before this round wins.
        const evaluation = state.evaluationOf(sessionId);
        evaluation?.assertRoundLeft();
        const onProgress = progressNotifier(extra);
        const played = await runSearchTurn(
          engine,
          {
            query: description,
            sessionId,
            closerTo: closerTo ?? [],
            notThese: notThese ?? [],
            // An evaluation steers only with what it showed: never with an id learned elsewhere.
            ...(evaluation ? { references: { shownOnly: true } } : {}),
          },
          { signal: extra.signal, ...(onProgress ? { onProgress } : {}) },
        );
        // The rank is kept for finish_evaluation and never shown: the searcher sees only the hits.
        await evaluation?.recordThrough(engine, played.round);
        if (evaluation) state.markShownInEvaluation(sessionId, shownImageIds({ rounds: [played.round] }));
        const turn = evaluation ? { session: played.session, round: sealedRound(played.round) } : played;
        const roundsLeft = evaluation?.roundsLeft;
        const blocks = await roundBlocks(ctx, turn);
        return toolResult(roundText(turn, roundsLeft), {
          session: sessionSummary(turn.session, evaluation !== undefined),
          round: roundView(turn.session.archive, turn.round),
          ...(roundsLeft !== undefined ? { evaluation: { roundsLeft } } : {}),
        }, blocks);
      });
    },
  );
}

async function roundBlocks({ engine, options, state }: ToolContext, { session, round }: SearchTurn): Promise<ContentBlock[]> {
  const synthetic = round.feedback.kind === 'synthetic' ? round.feedback.images : [];
  state.markShown(synthetic.map((s) => s.id));
  const syntheticBlocks = await Promise.all((await syntheticPngs(engine, round)).map((png) => imageBlock(png, options)));
  const big = round.hits.length > BIG_SHEET.threshold;
  const sheet = await renderRoundSheet(engine, session, round, {
    max: round.hits.length,
    ...(big ? { columns: BIG_SHEET.columns, cell: BIG_SHEET.cell } : {}),
  });
  return [
    ...syntheticBlocks,
    ...(sheet ? [await imageBlock(sheet, options)] : []),
    ...synthetic.map((s, i) =>
      resourceLink(syntheticImageUri(s.id), `synthetic-${i + 1}`, `Synthetic image ${i + 1} of round ${round.index + 1}, larger`, options.imageMime),
    ),
    ...round.hits.map((hit) =>
      resourceLink(archiveImageUri(session.archive, hit.id), hit.id, `Hit #${hit.rank + 1} of round ${round.index + 1}, larger`),
    ),
  ];
}

function roundText({ session, round }: SearchTurn, roundsLeft: number | undefined): string {
  const synthetic = round.feedback.kind === 'synthetic' ? round.feedback.images : [];
  const feedback = describeFeedback(
    round.feedback,
    synthetic.map((_, i) => `synthetic image ${i + 1} (attached)`),
  );
  const budget = roundsLeft === undefined ? '' : ` | evaluation: ${roundsLeft} round${roundsLeft === 1 ? '' : 's'} left`;
  return [
    `Session ${session.id} | round ${round.index + 1} | strategy ${session.strategy}${budget}`,
    ...(feedback ? [feedback] : []),
    round.hits.length > 0 ? 'Hits, numbered as on the attached contact sheet:' : 'No hits.',
    formatHitsTable(round.hits),
    roundsLeft === 0
      ? 'No rounds left: call finish_evaluation.'
      : 'Next: call search_round again with a corrected full description (closerTo / notThese take hit numbers), or select_result when you found the image.',
  ].join('\n');
}
