import { isEpisodeAgent } from './episode-agent.js';
import type { EpisodeOptions } from './episode-options.js';
import { shownRankOf, type EpisodeRecord, type EpisodeRound } from './episode-record.js';
import type { ShownFeedback, TargetImage } from './searcher.js';
import { showFeedback } from './shown-feedback.js';
import { episodeSearcherSeed, episodeSessionSeed } from './episode-seeds.js';

/**
 * One simulated user looking for one target with one strategy. The engine is told only the
 * searcher's descriptions; the target's rank is measured afterwards through Engine.rankOf.
 * All rounds run even after a hit, because the protocol reports cumulative Hits@K per round.
 */
export async function runEpisode(options: EpisodeOptions): Promise<EpisodeRecord> {
  if (isEpisodeAgent(options.searcher)) return options.searcher.playEpisode(options);
  const { engine, archive, strategy, targetId } = options;
  const label = options.label ?? strategy;
  const started = performance.now();
  const target: TargetImage = { id: targetId, image: await engine.getImage({ kind: 'archive', archive, id: targetId }) };
  // The searcher's seed ignores the strategy: the same simulated memory faces every strategy.
  const searcher = await options.searcher.startEpisode(target, episodeSearcherSeed(options.seed, targetId), { strategy });
  const session = await engine.startSession({
    archive,
    strategy,
    k: options.k,
    samples: options.samples,
    seed: episodeSessionSeed(options.seed, targetId),
  });
  const rounds: EpisodeRound[] = [];
  let shown: ShownFeedback | undefined;
  for (let t = 0; t <= options.rounds; t++) {
    options.signal?.throwIfAborted();
    const query = shown ? await searcher.refine(shown) : await searcher.describe();
    const round = await engine.runRound(session.id, { query }, options.signal ? { signal: options.signal } : {});
    const rank = await engine.rankOf(session.id, t, targetId);
    shown = await showFeedback(engine, archive, round);
    const hits = round.hits.map((h) => h.id);
    rounds.push({
      round: t,
      query,
      rank,
      hits,
      shownRank: shownRankOf(hits, targetId),
      feedback: round.feedback,
      timings: round.timings,
    });
    await options.observe?.({ strategy: label, target, round, rank, shown });
  }
  const usage = searcher.usage();
  return {
    strategy: label,
    targetId,
    sessionId: session.id,
    rounds,
    ...(usage ? { searcherUsage: usage } : {}),
    wallMs: Math.round(performance.now() - started),
  };
}
