import { deriveSeed } from '../random/seed.js';
import type { StrategyName } from '../session/session.js';

/**
 * Seeds of one (target, strategy) episode, shared by every way of playing one (`mirage eval`,
 * the MCP evaluation mode, the mcp-agent harness) so the same run seed replays the same rounds.
 */
export const episodeSessionSeed = (runSeed: number, strategy: StrategyName, targetId: string): number =>
  deriveSeed(runSeed, 'session', strategy, targetId);

/** Ignores the strategy: the same simulated memory faces every strategy. */
export const episodeSearcherSeed = (runSeed: number, targetId: string): number => deriveSeed(runSeed, 'searcher', targetId);
