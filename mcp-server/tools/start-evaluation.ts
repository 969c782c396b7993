import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { imageRefSchema } from '../../core/session/requests.js';
import { invalidInput, notSupported } from '../../core/errors.js';
import { evalConfigSchema } from '../../core/eval/eval-config.js';
import type { EvaluationAssignment } from '../../core/eval/evaluation-assignment.js';
import { drawTarget, EvaluationEpisode } from '../../core/eval/evaluation-episode.js';
import { imageBlock, resourceLink, toolResult } from '../content.js';
import { unguessableSeed } from '../evaluation-assigner.js';
import type { ToolContext } from '../tool-context.js';
import { evaluationTargetUri } from '../uris.js';
import { sessionSummary, sessionSummarySchema } from '../views.js';
import { startSearchInput } from './start-search.js';

export const startEvaluationInput = startSearchInput.extend({
  rounds: evalConfigSchema.shape.rounds.describe('feedback rounds after the first; the episode has rounds + 1 search rounds'),
  seed: startSearchInput.shape.seed.describe('practice only: choose the seed yourself (the episode is then not scored)'),
  target: imageRefSchema.options[0].shape.id
    .optional()
    .describe('practice only: choose the target image id yourself (the episode is then not scored)'),
});

type Input = z.infer<typeof startEvaluationInput>;

export function registerStartEvaluation(server: McpServer, { engine, options, state }: ToolContext): void {
  server.registerTool(
    'start_evaluation',
    {
      title: 'Start an evaluation episode',
      description:
        'Evaluation mode: the server picks a hidden target image from the archive (attached) and you play the person ' +
        'who remembers it. Describe it with search_round, look at what the system shows, refine, for the given ' +
        'number of rounds; the server measures where the target ranks each round without telling you. ' +
        'Then call finish_evaluation for the metrics. While the evaluation is open you can only use its session ' +
        'and look at images it showed you.',
      inputSchema: startEvaluationInput,
      outputSchema: z.object({
        session: sessionSummarySchema,
        roundsPlanned: z.number().int().describe('search rounds in this episode (rounds + 1)'),
        scored: z.boolean().describe('false when you chose target or seed: a practice episode'),
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (input) => {
      const { archive, strategy, k, samples, rounds } = input;
      const chosenBy = input.target !== undefined || input.seed !== undefined ? 'searcher' : 'evaluator';
      if (chosenBy === 'searcher' && options.sharedEvaluations) {
        throw invalidInput('This server runs shared evaluations: it assigns every target and seed itself. Leave out target and seed.');
      }
      const { episode, image } = await state.openEvaluation(archive, async () => {
        const { targetId, seed } = chosenBy === 'searcher' ? await searcherChoice({ options }, input) : await options.assignEvaluation(archive);
        // An unknown target id fails here, before any session exists.
        const image = await engine.getImage({ kind: 'archive', archive, id: targetId });
        return { image, episode: await EvaluationEpisode.start(engine, { archive, strategy, targetId, rounds, k, samples, seed, chosenBy }) };
      });
      const session = await engine.getSession(episode.sessionId);
      const scored = chosenBy === 'evaluator';
      return toolResult(
        [
          `Evaluation session ${session.id} on archive "${archive}" (strategy ${strategy}, ${k} hits per round).`,
          ...(scored ? [] : ['Practice episode: you chose the target or the seed, so it is not scored.']),
          'The attached image is the one you remember: do not expect to be told its id or rank.',
          `You have ${episode.roundsPlanned} search round${episode.roundsPlanned === 1 ? '' : 's'}: call search_round with this session and a description of the image, ` +
            'compare what comes back with the image you remember, and describe it again with the differences fixed. ' +
            'Then call finish_evaluation.',
        ].join('\n'),
        { session: sessionSummary(session, true), roundsPlanned: episode.roundsPlanned, scored },
        [
          await imageBlock(image, options),
          resourceLink(evaluationTargetUri(session.id), 'target', 'The image you remember, larger', options.imageMime),
        ],
      );
    },
  );
}

/** A practice episode: the client's own target and seed, each drawn by the server when left out. */
async function searcherChoice({ options }: Pick<ToolContext, 'options'>, { archive, target, seed }: Input): Promise<EvaluationAssignment> {
  const chosenSeed = seed ?? unguessableSeed();
  if (target !== undefined) return { targetId: target, seed: chosenSeed };
  if (!options.browser) {
    throw notSupported('This server cannot list archive images, so it cannot draw a target from a seed; give target (an image id).');
  }
  return { targetId: drawTarget((await options.browser.images(archive)).ids, chosenSeed), seed: chosenSeed };
}
