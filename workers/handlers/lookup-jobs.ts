import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TRANSFER_TTL_SECONDS } from '../../core/ports/job-contract.js';
import { archiveNameSchema, sessionAccessSchema, sessionIdSchema, startSessionSchema } from '../../core/session/requests.js';
import { mayUse, rankInRound, requireActive, requireSession, syntheticImagesOf, withSelection } from '../../core/engine/session-rules.js';
import { validate } from '../../core/validate.js';
import { newSession } from '../../core/session/new-session.js';
import type { JobHandler } from '../worker-context.js';
import { withSessionLock } from './session-lock.js';

const archiveImageSchema = z.object({
  archive: archiveNameSchema,
  id: z.string().min(1).max(256),
  size: z.enum(['full', 'thumb']),
});

export const archivesJob: JobHandler<'archives'> = (ctx) => ctx.archives.list();

export const startJob: JobHandler<'start'> = async (ctx, run) => {
  const parsed = validate(startSessionSchema, run.data, 'session request');
  const archive = await ctx.archives.current(parsed.archive);
  // Fail now rather than on the first round when the archive's models cannot serve it.
  await ctx.models.bundleFor(archive.manifest.embedder);
  const session = newSession(parsed);
  await ctx.sessions.put(session);
  return session;
};

export const selectJob: JobHandler<'select'> = async (ctx, run) => {
  const id = validate(sessionIdSchema, run.data.sessionId, 'session id');
  const access = validate(sessionAccessSchema, { owner: run.data.owner }, 'caller');
  return withSessionLock(ctx, id, run.id, run.signal, async (lock) => {
    const session = requireSession(await ctx.sessions.get(id), id, access);
    // An earlier attempt of this job saved the selection and died before replying.
    if ((await ctx.sessions.jobMark(id, run.id)) !== undefined) return session;
    const updated = withSelection(requireActive(session), await ctx.archives.current(session.archive), run.data.imageId);
    await ctx.sessions.commit(updated, lock, { jobId: run.id, mark: 'selected' });
    return updated;
  });
};

/** Hands the image over as a short-lived blob: job replies travel in an event stream, bytes do not belong there. */
export const imageJob: JobHandler<'image'> = async (ctx, run) => {
  const ref = validate(archiveImageSchema, run.data, 'image reference');
  const archive = await ctx.archives.current(ref.archive);
  const image = await archive.readImage(ref.id, ref.size);
  const blob = `transfer-${randomUUID()}`;
  await ctx.blobs.put(blob, image, TRANSFER_TTL_SECONDS);
  return { blob };
};

/** Deletes the session and its synthetic images; someone else's session is left alone, silently. */
export const deleteSessionJob: JobHandler<'delete-session'> = async (ctx, run) => {
  const id = validate(sessionIdSchema, run.data.sessionId, 'session id');
  const access = validate(sessionAccessSchema, { owner: run.data.owner }, 'caller');
  return withSessionLock(ctx, id, run.id, run.signal, async () => {
    const session = await ctx.sessions.get(id);
    if (!session || !mayUse(session, access)) return [];
    const images = syntheticImagesOf(session);
    await Promise.all(images.map((image) => ctx.blobs.delete(image)));
    await ctx.sessions.delete(id);
    return images;
  });
};

export const rankJob: JobHandler<'rank'> = async (ctx, run) => {
  const id = validate(sessionIdSchema, run.data.sessionId, 'session id');
  const access = validate(sessionAccessSchema, { owner: run.data.owner }, 'caller');
  const session = requireSession(await ctx.sessions.get(id), id, access);
  return rankInRound(session, await ctx.archives.current(session.archive), run.data.round, run.data.imageId);
};
