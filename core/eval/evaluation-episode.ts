import type { Engine } from '../ports/engine.js';
import { invalidInput } from '../errors.js';
import { strategyMetrics, type StrategyMetrics } from '../metrics/strategy-metrics.js';
import { EVALUATION_KS } from './eval-config.js';
import { episodeSessionSeed } from './episode-seeds.js';
import type { Round, StrategyName } from '../session/session.js';
import { sampleTargets } from './target-sampler.js';

/** One target drawn with a seed: the first target `mirage eval --seed <seed>` would draw. */
export function drawTarget(archiveIds: readonly string[], seed: number): string {
  const [target] = sampleTargets(archiveIds, 1, seed);
  if (target === undefined) throw invalidInput('The archive is empty: there is no image to look for.');
  return target;
}

export interface EvaluationPlan {
  readonly archive: string;
  readonly strategy: StrategyName;
  readonly targetId: string;
  /** Feedback rounds after round 0; the episode has rounds + 1 rounds in all. */
  readonly rounds: number;
  readonly k: number;
  readonly samples: number;
  /** Run seed; the session seed is derived from it and the target (the same for every strategy). */
  readonly seed: number;
  /**
   * Who chose target and seed: the evaluator (a scored episode) or the searcher itself (practice:
   * a searcher that picks its own target can aim at it, so the episode is never scored).
   */
  readonly chosenBy: 'evaluator' | 'searcher';
}

/**
 * The evaluator's side of one episode whose searcher drives the rounds itself (an agent over
 * MCP). The engine only ever sees descriptions; after each round the target's exact rank is
 * measured through Engine.rankOf, exactly as runEpisode does, and the metrics come from the
 * same strategyMetrics as `mirage eval`.
 */
export class EvaluationEpisode {
  private readonly recorded: number[] = [];

  private constructor(
    readonly plan: EvaluationPlan,
    readonly sessionId: string,
  ) {}

  static async start(engine: Pick<Engine, 'startSession'>, plan: EvaluationPlan): Promise<EvaluationEpisode> {
    const session = await engine.startSession({
      archive: plan.archive,
      strategy: plan.strategy,
      k: plan.k,
      samples: plan.samples,
      seed: episodeSessionSeed(plan.seed, plan.targetId),
    });
    return new EvaluationEpisode(plan, session.id);
  }

  get ranks(): readonly number[] {
    return this.recorded;
  }

  get roundsPlanned(): number {
    return this.plan.rounds + 1;
  }

  get roundsLeft(): number {
    return this.roundsPlanned - this.recorded.length;
  }

  /** Refuses a round beyond the plan before it runs, so the engine never does wasted work. */
  assertRoundLeft(): void {
    if (this.roundsLeft <= 0) {
      throw invalidInput(
        `Evaluation session "${this.sessionId}" has used all ${this.roundsPlanned} of its rounds; finish it to get its metrics.`,
      );
    }
  }

  /**
   * Measures and keeps the target's rank for every round up to one that just ran. Rounds are
   * caught up in order, so a rank lost to a failed measurement is taken again next time.
   */
  async recordThrough(engine: Pick<Engine, 'rankOf'>, round: Pick<Round, 'index'>): Promise<void> {
    if (round.index >= this.roundsPlanned) {
      throw invalidInput(`Round ${round.index} of session "${this.sessionId}" is beyond its ${this.roundsPlanned} planned rounds.`);
    }
    while (this.recorded.length <= round.index) {
      this.recorded.push(await engine.rankOf(this.sessionId, this.recorded.length, this.plan.targetId));
    }
  }

  /** Metrics over the rounds played (a searcher that stops early is scored on what it did). */
  metrics(ks: readonly number[] = EVALUATION_KS): StrategyMetrics {
    if (this.recorded.length === 0) {
      throw invalidInput(`Evaluation session "${this.sessionId}" has no rounds yet; run a round first.`);
    }
    return strategyMetrics([this.recorded], ks);
  }
}
