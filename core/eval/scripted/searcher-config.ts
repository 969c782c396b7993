import { z } from 'zod';
import { invalidInput } from '../../errors.js';

/**
 * How much the simulated user says at round 0, beyond naming every object it remembers: the next
 * few facts in salience order ('full' says everything it remembers at once).
 */
export const INITIAL_EXTRA_FACTS = {
  sparse: 2,
  moderate: 5,
  full: Number.POSITIVE_INFINITY,
} as const;

export type DetailLevel = keyof typeof INITIAL_EXTRA_FACTS;

const DETAIL_LEVELS = Object.keys(INITIAL_EXTRA_FACTS) as [DetailLevel, ...DetailLevel[]];

const probability = z.number().min(0).max(1);

export const scriptedSearcherConfigSchema = z
  .strictObject({
    detail: z.enum(DETAIL_LEVELS).default('sparse'),
    /** Chance that one fact of the target (a presence, a time, a colour...) is forgotten. */
    pForget: probability.default(0.1),
    /** Chance that one fact is remembered as another valid value. */
    pMisremember: probability.default(0.05),
    /**
     * Chance that one fact of a picture shown as feedback is perceived as another valid value
     * (a realism diagnostic; 0, perfect perception, by default).
     */
    pMisperceive: probability.default(0),
  })
  .refine((c) => c.pForget + c.pMisremember <= 1, {
    message: 'pForget + pMisremember must be at most 1 (a fact is either forgotten, misremembered or kept)',
    path: ['pMisremember'],
  });

export type ScriptedSearcherConfig = z.output<typeof scriptedSearcherConfigSchema>;
export type ScriptedSearcherConfigInput = z.input<typeof scriptedSearcherConfigSchema>;

export function parseScriptedSearcherConfig(input: unknown): ScriptedSearcherConfig {
  const result = scriptedSearcherConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'configuration';
  throw invalidInput(`Invalid scripted searcher configuration: ${where}: ${issue?.message ?? 'malformed'}`);
}

/**
 * The id results are recorded under, e.g. "scripted:sparse:f0.1:m0.05", with ":p<pMisperceive>"
 * appended only when the user misperceives, so ids of perfect-perception runs stay as they were.
 */
export function scriptedSearcherId(config: ScriptedSearcherConfig): string {
  const perception = config.pMisperceive > 0 ? `:p${config.pMisperceive}` : '';
  return `scripted:${config.detail}:f${config.pForget}:m${config.pMisremember}${perception}`;
}
