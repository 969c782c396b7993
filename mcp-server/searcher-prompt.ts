import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

export const SEARCHER_PROMPT_NAME = 'mental-image-searcher';

/**
 * The loop GenIR asks of a person, told to an agent: describe, look at what the system drew,
 * fix the differences. Agents that describe the synthetic image instead of their own drift away
 * from the target, hence the warning.
 */
export function searcherInstructions(context: { archive?: string; rounds?: string } = {}): string {
  const setting = [
    context.archive ? `The archive is "${context.archive}".` : 'Pick an archive with list_archives.',
    context.rounds ? `You have ${context.rounds} search rounds.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return [
    'You are looking for one image in an image archive: an image you remember (your mental image). You cannot browse the archive; you can only describe the image to Mirage and look at what it shows you.',
    setting,
    '',
    'The loop:',
    '1. Describe the image you remember in one paragraph of concrete visual facts: the main objects, how many, their colours, sizes and positions in the frame, the background, the time of day and the weather. No story, no guesses about meaning.',
    '2. Call search_round with the description (start_search first if you have no session; in an evaluation, start_evaluation gave you the session and the image).',
    '3. Look at what the system drew (the synthetic image shows how it understood you) and at the numbered contact sheet of hits. Compare both with the image you remember: what is missing, what has the wrong colour, size or position, what is there that should not be?',
    '4. Rewrite the whole description with those differences fixed: keep what was right, say more clearly what was wrong. Describe YOUR image, never the synthetic one. You may mark hits that are closer to your image (closerTo) or clearly wrong (notThese) by their numbers.',
    '5. Repeat. When a hit is the image you remember, call select_result with its number. In an evaluation, use every round, then call finish_evaluation.',
  ].join('\n');
}

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    SEARCHER_PROMPT_NAME,
    {
      title: 'Mental image searcher',
      description: 'How to find an image you remember with Mirage: describe, look at what the system drew, fix the differences.',
      argsSchema: {
        archive: z.string().optional().describe('archive to search'),
        rounds: z.string().optional().describe('number of search rounds available'),
      },
    },
    ({ archive, rounds }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: searcherInstructions({ ...(archive ? { archive } : {}), ...(rounds ? { rounds } : {}) }),
          },
        },
      ],
    }),
  );
}
