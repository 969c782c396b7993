import { KeyedLock } from '../core/concurrency/keyed-lock.js';
import { invalidInput, unknownSession } from '../core/errors.js';
import type { EvaluationEpisode } from '../core/eval/evaluation-episode.js';
import { EvaluationSeals, notShownRefusal, sealedRefusal, type OpenEvaluation } from './evaluation-seals.js';

interface OwnedSession {
  readonly evaluation?: EvaluationEpisode;
  finished: boolean;
}

/**
 * What one MCP client (one connection, one HTTP MCP session) may touch: the search sessions it
 * started and the synthetic images it was shown. Another client that learns a session id gets
 * "unknown session", the same answer as for an id that never existed, so ids leak nothing.
 * While the client's identity has an evaluation open, everything else is sealed off (see
 * EvaluationSeals).
 */
export class ClientState {
  private readonly sessions = new Map<string, OwnedSession>();
  private readonly shownSynthetic = new Set<string>();
  /** The evaluation this connection opened, released when it finishes or the connection closes. */
  private opened: OpenEvaluation | undefined;
  /** One round at a time per session, so an evaluation records ranks in round order. */
  readonly roundLock = new KeyedLock();

  constructor(
    private readonly identity = 'local',
    private readonly seals = new EvaluationSeals(),
  ) {}

  own(sessionId: string, evaluation?: EvaluationEpisode): void {
    this.sessions.set(sessionId, { ...(evaluation ? { evaluation } : {}), finished: false });
  }

  /** Throws UNKNOWN_SESSION for sessions this client did not start. */
  require(sessionId: string): void {
    if (!this.sessions.has(sessionId)) throw unknownSession(sessionId);
  }

  /** As require, and while an evaluation is open only that evaluation's session may be used. */
  requireUsable(sessionId: string, tool: string): void {
    this.require(sessionId);
    const open = this.sealedBy();
    if (open && open.sessionId !== sessionId) throw sealedRefusal(open, `${tool} on another session`);
  }

  /** Throws while an evaluation is open: for tools that would show anything beyond it. */
  assertUnsealed(what: string): void {
    const open = this.sealedBy();
    if (open) throw sealedRefusal(open, what);
  }

  /** The open evaluation of this client's identity, from this connection or another. */
  sealedBy(): OpenEvaluation | undefined {
    return this.seals.openFor(this.identity);
  }

  /**
   * Opens an evaluation: `start` creates its episode while the seal is already held, so a
   * concurrent start_evaluation is refused rather than racing it.
   */
  async openEvaluation<T extends { readonly episode: EvaluationEpisode }>(archive: string, start: () => Promise<T>): Promise<T> {
    const seal = this.seals.reserve(this.identity, archive);
    try {
      const started = await start();
      seal.sessionId = started.episode.sessionId;
      this.opened = seal;
      this.own(started.episode.sessionId, started.episode);
      return started;
    } catch (error) {
      this.seals.release(this.identity, seal);
      throw error;
    }
  }

  /** The evaluation running in a session, if the session is one; throws once it was finished. */
  evaluationOf(sessionId: string): EvaluationEpisode | undefined {
    const owned = this.sessions.get(sessionId);
    if (!owned) throw unknownSession(sessionId);
    if (owned.finished) {
      throw invalidInput(`Evaluation session "${sessionId}" is finished; start a new one with start_evaluation.`);
    }
    return owned.evaluation;
  }

  /** Ends an evaluation; its session can no longer run rounds, and the seal is lifted. */
  markFinished(sessionId: string): void {
    const owned = this.sessions.get(sessionId);
    if (owned) owned.finished = true;
    if (this.opened?.sessionId === sessionId) this.close();
  }

  /** The connection is gone: an evaluation it left open no longer seals its identity's other connections. */
  close(): void {
    if (this.opened) this.seals.release(this.identity, this.opened);
    this.opened = undefined;
  }

  /** The evaluation of a session this client started, finished or not (undefined for a normal search). */
  evaluationRecord(sessionId: string): EvaluationEpisode | undefined {
    const owned = this.sessions.get(sessionId);
    if (!owned) throw unknownSession(sessionId);
    return owned.evaluation;
  }

  isEvaluation(sessionId: string): boolean {
    return this.sessions.get(sessionId)?.evaluation !== undefined;
  }

  markShown(syntheticIds: readonly string[]): void {
    for (const id of syntheticIds) this.shownSynthetic.add(id);
  }

  wasShown(syntheticId: string): boolean {
    return this.shownSynthetic.has(syntheticId);
  }

  /** Records archive images an evaluation round showed: while it is open, only they can be looked at. */
  markShownInEvaluation(sessionId: string, imageIds: Iterable<string>): void {
    const open = this.sealedBy();
    if (open?.sessionId !== sessionId) return;
    for (const id of imageIds) open.shown.add(id);
  }

  /** Throws UNKNOWN_IMAGE for an archive image the open evaluation did not show. */
  assertMayShowArchiveImage(archive: string, id: string): void {
    const open = this.sealedBy();
    if (open && !(open.archive === archive && open.shown.has(id))) throw notShownRefusal(open, id);
  }

  /** Archive image listings are off while an evaluation is open. */
  mayListArchiveImages(): boolean {
    return this.sealedBy() === undefined;
  }
}
