import type { EpisodeOptions } from './episode-options.js';
import type { EpisodeRecord } from './episode-record.js';
import type { Searcher } from './searcher.js';

/**
 * A searcher that drives the rounds itself instead of answering describe/refine: an LLM agent
 * calling the MCP tools. runEpisode hands it the whole episode; it must return the same record
 * (ranks measured through Engine.rankOf) and report every round to `observe`.
 */
export interface EpisodeAgent {
  playEpisode(options: EpisodeOptions): Promise<EpisodeRecord>;
}

export const isEpisodeAgent = (searcher: Searcher): searcher is Searcher & EpisodeAgent =>
  typeof (searcher as Partial<EpisodeAgent>).playEpisode === 'function';
