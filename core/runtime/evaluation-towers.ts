import { invalidInput } from '../errors.js';
import type { EvalArm } from '../eval/eval-config.js';
import type { Engine } from '../ports/engine.js';
import { SCENES_EMBEDDER_ID } from '../scenes/scenes-bundle.js';
import type { Runtime } from './runtime.js';

export interface EvaluationTowers {
  /** The engine on the oracle text tower, when an arm needs it. */
  readonly oracleEngine?: Engine;
  /** The ids of the text towers the run uses, by arm kind, for results.json. */
  readonly textTowers: Readonly<Record<string, string>>;
}

/**
 * What an evaluation of these arms needs beyond the runtime's engine: the `text-oracle` arm runs
 * on an engine whose Scenes text tower renders completions, so it needs a Scenes archive.
 */
export async function evaluationTowers(runtime: Runtime, embedderId: string, arms: readonly EvalArm[]): Promise<EvaluationTowers> {
  const textTowers: Record<string, string> = {};
  const text = (await runtime.models.bundleFor(embedderId)).textEmbedder;
  if (text) textTowers.text = text.id;
  if (!arms.some((arm) => arm.textTower === 'oracle')) return { textTowers };
  if (embedderId !== SCENES_EMBEDDER_ID) {
    throw invalidInput(`The text-oracle arm needs a Scenes archive on a local engine; this archive is indexed with ${embedderId}.`);
  }
  const oracle = runtime.textOracle();
  const oracleText = (await oracle.models.bundleFor(embedderId)).textEmbedder;
  if (oracleText) textTowers['text-oracle'] = oracleText.id;
  return { oracleEngine: oracle.engine, textTowers };
}
