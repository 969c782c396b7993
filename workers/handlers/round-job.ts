import { setTimeout as sleep } from 'node:timers/promises';
import { roundRequestSchema, sessionAccessSchema, sessionIdSchema } from '../../core/session/requests.js';
import { runRound } from '../../core/engine/round-runner.js';
import { requireActive, requireSession } from '../../core/engine/session-rules.js';
import { validate } from '../../core/validate.js';
import type { JobHandler } from '../worker-context.js';
import { withSessionLock } from './session-lock.js';

/**
 * One round of a session: the same runRound as the in-process engine, under the session lock,
 * saved with a fenced commit that also records this job's round. A retry of a job whose earlier
 * attempt already saved its round (the worker died after saving) returns that round instead of
 * adding another, so a caller gets exactly one round per request.
 */
export const roundJob: JobHandler<'round'> = async (ctx, run) => {
  const id = validate(sessionIdSchema, run.data.sessionId, 'session id');
  const input = validate(roundRequestSchema, run.data.request, 'round request');
  const access = validate(sessionAccessSchema, { owner: run.data.owner }, 'caller');
  return withSessionLock(ctx, id, run.id, run.signal, async (lock) => {
    const session = requireSession(await ctx.sessions.get(id), id, access);
    const saved = await ctx.sessions.jobMark(id, run.id);
    const earlier = saved === undefined ? undefined : session.rounds[Number(saved)];
    if (earlier) return earlier;
    requireActive(session);
    const archive = await ctx.archives.current(session.archive);
    const models = await ctx.models.bundleFor(archive.manifest.embedder);
    const round = await runRound(session, input, { archive, models, blobs: ctx.blobs }, { signal: run.signal, onProgress: run.progress });
    if (ctx.settings.roundDelayMs > 0) await sleep(ctx.settings.roundDelayMs, undefined, { signal: run.signal });
    await ctx.sessions.commit({ ...session, rounds: [...session.rounds, round], updatedAt: round.createdAt }, lock, {
      jobId: run.id,
      mark: String(round.index),
    });
    return round;
  });
};
