import { invalidInput, MirageError, unknownSession } from '../errors.js';
import type { Archive } from '../ports/archive-store.js';
import type { SessionAccess } from '../session/requests.js';
import type { Session } from '../session/session.js';
import { decodeVector } from '../vectors/vector-codec.js';
import { excludedIds } from './round-runner.js';

/**
 * The session rules every engine applies, whichever process it runs in (the in-process engine,
 * or a queue worker), so both answer the same requests with the same results and errors.
 */
export function requireSession(session: Session | undefined, id: string, access: SessionAccess = {}): Session {
  if (!session || !mayUse(session, access)) throw unknownSession(id);
  return session;
}

/** A session answers only its owner; one without an owner, only callers that name none. */
export function mayUse(session: Pick<Session, 'owner'>, access: SessionAccess = {}): boolean {
  return session.owner === access.owner;
}

export function requireActive(session: Session): Session {
  if (session.status !== 'active') {
    throw new MirageError('SESSION_ENDED', `Session "${session.id}" has ended (${session.status}); start a new one.`);
  }
  return session;
}

/** The session after the user picked `imageId` as the image they were looking for. */
export function withSelection(session: Session, archive: Archive, imageId: string): Session {
  if (!archive.record(imageId)) {
    throw new MirageError('UNKNOWN_IMAGE', `Image "${imageId}" is not in archive "${session.archive}".`);
  }
  return {
    ...session,
    status: 'found',
    selected: { id: imageId, round: Math.max(0, session.rounds.length - 1) },
    updatedAt: new Date().toISOString(),
  };
}

/** Every synthetic image a session's rounds made, for deleting them with the session. */
export function syntheticImagesOf(session: Session): string[] {
  return session.rounds.flatMap((round) => (round.feedback.kind === 'synthetic' ? round.feedback.images.map((image) => image.id) : []));
}

/** Exact rank of an archive image under one round's query, with that round's exclusions. */
export function rankInRound(session: Session, archive: Archive, round: number, imageId: string): number {
  const target = session.rounds[round];
  if (!target) throw invalidInput(`Session "${session.id}" has no round ${round}.`);
  const exclude = excludedIds(session, session.rounds.slice(0, round + 1));
  return archive.index().rankOf(decodeVector(target.queryVector), imageId, exclude ? { exclude } : {});
}
