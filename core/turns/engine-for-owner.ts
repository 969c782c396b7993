import type { Engine } from '../ports/engine.js';

/**
 * The Engine as one caller sees it: every session it starts is its own, and every call about a
 * session names it, so whatever a front end does for this caller can only reach the caller's
 * sessions. Closing the view leaves the engine, which others share, open.
 */
export function engineForOwner(engine: Engine, owner: string): Engine {
  const access = { owner };
  return {
    listArchives: () => engine.listArchives(),
    startSession: (request) => engine.startSession({ ...request, owner }),
    runRound: (sessionId, request, options = {}) => engine.runRound(sessionId, request, { ...options, owner }),
    selectResult: (sessionId, imageId) => engine.selectResult(sessionId, imageId, access),
    getSession: (sessionId) => engine.getSession(sessionId, access),
    deleteSession: (sessionId) => engine.deleteSession(sessionId, access),
    getImage: (ref, size) => engine.getImage(ref, size, access),
    rankOf: (sessionId, round, imageId) => engine.rankOf(sessionId, round, imageId, access),
    ingest: (request, options) => engine.ingest(request, options),
    removeImages: (archive, ids) => engine.removeImages(archive, ids),
    close: async () => undefined,
  };
}
