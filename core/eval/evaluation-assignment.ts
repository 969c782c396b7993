/**
 * What an evaluator hands a searcher that drives its own rounds (an agent over MCP): the target
 * and the run seed of one episode. The agent never picks them; whoever runs the server does
 * (a random draw, or the evaluation harness's plan), so an episode cannot be replayed with a
 * target the agent already knows.
 */
export interface EvaluationAssignment {
  readonly targetId: string;
  /** Run seed: the session seed is derived from it and the target, the same for every strategy (see episodeSessionSeed). */
  readonly seed: number;
}

/** Assigns the next episode on an archive. */
export type EvaluationAssigner = (archive: string) => Promise<EvaluationAssignment>;
