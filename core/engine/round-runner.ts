import { MirageError } from '../errors.js';
import { applyRocchio } from '../feedback/rocchio.js';
import { encodeImage } from '../images/encode.js';
import type { Archive } from '../ports/archive-store.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { ModelBundle } from '../ports/model-bundle.js';
import { deriveSeed } from '../random/seed.js';
import type { Hit, Round, Session, SyntheticImage } from '../session/session.js';
import type { Candidate } from '../strategies/strategy.js';
import { strategyFor } from '../strategies/strategies.js';
import { encodeVector } from '../vectors/vector-codec.js';
import { norm } from '../vectors/vector-math.js';
import type { CallOptions } from '../ports/engine.js';
import type { AllowFilter, RoundInput } from '../session/requests.js';
import { StageTimer } from '../strategies/stage-timer.js';

export interface RoundDependencies {
  readonly archive: Archive;
  readonly models: ModelBundle;
  readonly blobs: BlobStore;
}

/** Images a round must not return: everything rejected so far, when the session says so. */
export function excludedIds(session: Session, rounds: readonly Pick<Round, 'notThese'>[]): Set<string> | undefined {
  return session.options.excludeRejected ? new Set(rounds.flatMap((r) => r.notThese)) : undefined;
}

export const syntheticImageId = (sessionId: string, round: number, sample: number) =>
  `${sessionId}-r${round}-s${sample}`;

/** The session a synthetic image id belongs to (undefined for an id not made by syntheticImageId). */
export function sessionOfSyntheticImage(id: string): string | undefined {
  return /^(.+)-r\d+-s\d+$/.exec(id)?.[1];
}

/** Whether a record passes a round's allow-filter: every named attribute takes a listed value. */
export function isAllowed(attributes: Readonly<Record<string, string>> | undefined, allow: AllowFilter): boolean {
  return Object.entries(allow).every(([name, values]) => {
    const value = attributes?.[name];
    return value !== undefined && values.includes(value);
  });
}

/**
 * One round of the MIR loop: the session's strategy plans a query (rendering synthetic images
 * for generative feedback), relevance feedback adjusts it, the archive is searched, and the
 * strategy turns the results into the feedback shown to the searcher. Pure with respect to the
 * session: the caller persists the returned round. Shared by the in-process engine and the
 * queue workers, so both run exactly the same method.
 */
export async function runRound(
  session: Session,
  input: RoundInput,
  deps: RoundDependencies,
  options: CallOptions = {},
): Promise<Round> {
  const { archive, models, blobs } = deps;
  const index = archive.index();
  for (const id of [...input.closerTo, ...input.notThese]) {
    if (!archive.record(id)) {
      throw new MirageError('UNKNOWN_IMAGE', `Image "${id}" is not in archive "${session.archive}".`);
    }
  }
  const roundIndex = session.rounds.length;
  const strategy = strategyFor(session.strategy);
  const timer = new StageTimer();
  const context = {
    session,
    roundIndex,
    query: input.query,
    seed: deriveSeed(session.seed, 'round', roundIndex, input.query),
    models,
    timer,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  const plan = await strategy.plan(context);
  options.signal?.throwIfAborted();

  const closer = [...session.rounds.flatMap((r) => r.closerTo), ...input.closerTo];
  const rejected = [...session.rounds.flatMap((r) => r.notThese), ...input.notThese];
  const vectorsOf = (ids: readonly string[]) =>
    ids.map((id) => index.vectorOf(id)).filter((v): v is Float32Array => v !== undefined);
  const query = applyRocchio(plan.vector, vectorsOf(closer), vectorsOf(rejected), session.options.rocchio);

  options.onProgress?.({ stage: 'search' });
  const wanted = session.strategy === 'verbal' ? Math.max(session.k, session.options.verbalCandidates) : session.k;
  const exclude = excludedIds(session, [...session.rounds, input]);
  // Scores are dot products with the query vector, so a hybrid fusion reports its fused score.
  const scale = norm(query);
  const allow = input.allow;
  const accept = allow ? (id: string) => isAllowed(archive.record(id)?.attributes, allow) : undefined;
  const found = await timer.time('search', () => index.search(query, wanted, { ...(exclude ? { exclude } : {}), ...(accept ? { accept } : {}) }));
  const candidates: Candidate[] = found.map((h) => {
    const record = archive.record(h.id);
    return {
      id: h.id,
      score: h.score * scale,
      ...(record?.caption !== undefined ? { caption: record.caption } : {}),
      ...(record?.attributes !== undefined ? { attributes: record.attributes } : {}),
    };
  });

  options.onProgress?.({ stage: 'feedback' });
  const synthetic: SyntheticImage[] = [];
  for (const [i, generated] of plan.generated.entries()) {
    const id = syntheticImageId(session.id, roundIndex, i);
    await blobs.put(id, await encodeImage(generated.image));
    synthetic.push({
      id,
      seed: generated.seed,
      ...(generated.interpretation ? { interpretation: generated.interpretation } : {}),
    });
  }
  const feedback = strategy.feedback({ session, candidates, synthetic, models });
  const hits: Hit[] = candidates.slice(0, session.k).map((c, rank) => ({ ...c, rank }));
  return {
    index: roundIndex,
    query: input.query,
    closerTo: [...input.closerTo],
    notThese: [...input.notThese],
    hits,
    feedback,
    timings: timer.timings(),
    queryVector: encodeVector(query),
    createdAt: new Date().toISOString(),
  };
}
