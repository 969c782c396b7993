import { randomInt } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { imageRefSchema } from '../../core/session/requests.js';
import { notSupported } from '../../core/errors.js';
import { evalConfigSchema } from '../../core/eval/eval-config.js';
import { drawTarget, EvaluationEpisode } from '../../core/eval/evaluation-episode.js';
import { imageBlock, resourceLink, toolResult } from '../content.js';
import type { ToolContext } from '../tool-context.js';
import { evaluationTargetUri } from '../uris.js';
import { sessionSummary, sessionSummarySchema } from '../views.js';
import { startSearchInput } from './start-search.js';

export const startEvaluationInput = startSearchInput.extend({
  rounds: evalConfigSchema.shape.rounds.describe('feedback rounds after the first; the episode has rounds + 1 search rounds'),
  seed: startSearchInput.shape.seed.describe('evaluation seed: draws the target (unless target is given) and the session seed, as `mirage eval --seed`'),
  target: imageRefSchema.options[0].shape.id.optional().describe('image id of the target; drawn with the seed when left out'),
});

export function registerStartEvaluation(server: McpServer, { engine, options, state }: ToolContext): void {
  server.registerTool(
    'start_evaluation',
    {
      title: 'Start an evaluation episode',
      description:
        'Evaluation mode: you get a hidden target image from the archive (attached) and play the person who ' +
        'remembers it. Describe it with search_round, look at what the system shows, refine, for the given ' +
        'number of rounds; the server measures where the target ranks each round without telling you. ' +
        'Then call finish_evaluation for the metrics.',
      inputSchema: startEvaluationInput,
      outputSchema: z.object({
        session: sessionSummarySchema,
        roundsPlanned: z.number().int().describe('search rounds in this episode (rounds + 1)'),
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ archive, strategy, k, samples, rounds, seed: givenSeed, target }) => {
      // A drawn seed is revealed by finish_evaluation: before that it could reveal the target.
      const seed = givenSeed ?? randomInt(0, 0x1_0000_0000);
      const targetId = target ?? (await drawnTarget({ options }, archive, seed));
      const image = await engine.getImage({ kind: 'archive', archive, id: targetId });
      const episode = await EvaluationEpisode.start(engine, { archive, strategy, targetId, rounds, k, samples, seed });
      state.own(episode.sessionId, episode);
      const session = await engine.getSession(episode.sessionId);
      return toolResult(
        [
          `Evaluation session ${session.id} on archive "${archive}" (strategy ${strategy}, ${k} hits per round).`,
          'The attached image is the one you remember: do not expect to be told its id or rank.',
          `You have ${episode.roundsPlanned} search round${episode.roundsPlanned === 1 ? '' : 's'}: call search_round with this session and a description of the image, ` +
            'compare what comes back with the image you remember, and describe it again with the differences fixed. ' +
            'Then call finish_evaluation.',
        ].join('\n'),
        { session: sessionSummary(session, true), roundsPlanned: episode.roundsPlanned },
        [
          await imageBlock(image, options),
          resourceLink(evaluationTargetUri(session.id), 'target', 'The image you remember, larger', options.imageMime),
        ],
      );
    },
  );
}

async function drawnTarget({ options }: Pick<ToolContext, 'options'>, archive: string, seed: number): Promise<string> {
  if (!options.browser) {
    throw notSupported('This server cannot list archive images, so it cannot draw a target; give target (an image id).');
  }
  return drawTarget((await options.browser.images(archive)).ids, seed);
}
