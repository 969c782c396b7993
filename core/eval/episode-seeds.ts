import { deriveSeed } from '../random/seed.js';

/**
 * Seeds of one (target, strategy) episode, shared by every way of playing one (`mirage eval`,
 * the MCP evaluation mode, the mcp-agent harness) so the same run seed replays the same rounds.
 * Neither depends on the strategy: the paired design gives every strategy the same target, the
 * same simulated memory and the same session seed (so the same random draws in the engine, e.g.
 * generator samples), and differences between strategies are differences of method only.
 */
export const episodeSessionSeed = (runSeed: number, targetId: string): number => deriveSeed(runSeed, 'session', targetId);

/** The same simulated memory faces every strategy. */
export const episodeSearcherSeed = (runSeed: number, targetId: string): number => deriveSeed(runSeed, 'searcher', targetId);
