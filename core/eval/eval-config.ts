import { z } from 'zod';
import { archiveNameSchema } from '../session/requests.js';
import { STRATEGY_NAMES } from '../session/session.js';

/** The Ks `mirage eval` reports by default. */
export const EVALUATION_KS: readonly number[] = [1, 5, 10];

export const evalConfigSchema = z.object({
  archive: archiveNameSchema,
  strategies: z.array(z.enum(STRATEGY_NAMES)).min(1, 'name at least one strategy').default([...STRATEGY_NAMES]),
  /** Searcher id, e.g. "scripted" or "vlm"; recorded in results. */
  searcher: z.string().min(1).default('scripted'),
  targets: z.number().int().min(1).max(100_000).default(200),
  /** Rounds after the initial round 0. */
  rounds: z.number().int().min(0).max(50).default(10),
  ks: z.array(z.number().int().min(1).max(100)).min(1).default([...EVALUATION_KS]),
  samples: z.number().int().min(1).max(8).default(1),
  concurrency: z.number().int().min(1).max(64).default(2),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
});

export type EvalConfig = z.output<typeof evalConfigSchema>;
export type EvalConfigInput = z.input<typeof evalConfigSchema>;

/** Settings that change results; a resumed run must match them exactly. */
export function resultDefiningConfig(config: EvalConfig): Omit<EvalConfig, 'concurrency'> {
  const { concurrency: _ignored, ...rest } = config;
  return rest;
}
