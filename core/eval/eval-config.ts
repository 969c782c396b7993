import { z } from 'zod';
import { archiveNameSchema } from '../session/requests.js';
import { STRATEGY_NAMES, type StrategyName } from '../session/session.js';

/** The Ks `mirage eval` reports by default. */
export const EVALUATION_KS: readonly number[] = [1, 5, 10];

/**
 * One arm of an evaluation: a strategy with the options it runs under, labelled by its name
 * everywhere (episodes, results.json, table.md, the chart). The names are:
 * - a strategy ("generative", "text", ...): that strategy with the run's samples and the default
 *   text tower;
 * - "text-oracle": the text strategy with the Scenes oracle text tower (an upper bound);
 * - "generative-n<S>" (S = 1 to 8): the generative strategy with S synthetic images per round,
 *   for matched-sample comparisons beside the headline n = 1.
 */
export interface EvalArm {
  readonly label: string;
  readonly strategy: StrategyName;
  /** Synthetic images per round; the run's `samples` when absent. */
  readonly samples?: number;
  readonly textTower: 'default' | 'oracle';
}

export const MAX_SAMPLES = 8;
const GENERATIVE_SAMPLES = /^generative-n([1-9][0-9]*)$/;

/** The arm a name stands for, or undefined when it names none. */
export function parseArm(name: string): EvalArm | undefined {
  if ((STRATEGY_NAMES as readonly string[]).includes(name)) return { label: name, strategy: name as StrategyName, textTower: 'default' };
  if (name === 'text-oracle') return { label: name, strategy: 'text', textTower: 'oracle' };
  const samples = GENERATIVE_SAMPLES.exec(name)?.[1];
  if (samples !== undefined && Number(samples) <= MAX_SAMPLES) {
    return { label: name, strategy: 'generative', samples: Number(samples), textTower: 'default' };
  }
  return undefined;
}

export const ARM_NAMES_HELP = `${STRATEGY_NAMES.join(', ')}, text-oracle, generative-n1 to generative-n${MAX_SAMPLES}`;

const armNameSchema = z.string().refine((name) => parseArm(name) !== undefined, { error: `an arm is one of ${ARM_NAMES_HELP}` });

export const evalConfigSchema = z.object({
  archive: archiveNameSchema,
  /** Arm names (see EvalArm); the default is the five strategies. */
  strategies: z
    .array(armNameSchema)
    .min(1, 'name at least one strategy')
    .refine((names) => new Set(names).size === names.length, 'each arm at most once')
    .default([...STRATEGY_NAMES]),
  /** Searcher id, e.g. "scripted" or "vlm"; recorded in results. */
  searcher: z.string().min(1).default('scripted'),
  targets: z.number().int().min(1).max(100_000).default(200),
  /** Rounds after the initial round 0. */
  rounds: z.number().int().min(0).max(50).default(10),
  ks: z.array(z.number().int().min(1).max(100)).min(1).default([...EVALUATION_KS]),
  samples: z.number().int().min(1).max(MAX_SAMPLES).default(1),
  concurrency: z.number().int().min(1).max(64).default(2),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
});

export type EvalConfig = z.output<typeof evalConfigSchema>;
export type EvalConfigInput = z.input<typeof evalConfigSchema>;

/** The arms of a validated config, in config order. */
export function armsOf(config: Pick<EvalConfig, 'strategies'>): EvalArm[] {
  return config.strategies.map((name) => parseArm(name)!);
}

/** Settings that change results; a resumed run must match them exactly. */
export function resultDefiningConfig(config: EvalConfig): Omit<EvalConfig, 'concurrency'> {
  const { concurrency: _ignored, ...rest } = config;
  return rest;
}
