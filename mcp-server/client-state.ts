import { KeyedLock } from '../core/concurrency/keyed-lock.js';
import { invalidInput, unknownSession } from '../core/errors.js';
import type { EvaluationEpisode } from '../core/eval/evaluation-episode.js';

interface OwnedSession {
  readonly evaluation?: EvaluationEpisode;
  finished: boolean;
}

/**
 * What one MCP client (one connection, one HTTP MCP session) may touch: the search sessions it
 * started and the synthetic images it was shown. Another client that learns a session id gets
 * "unknown session", the same answer as for an id that never existed, so ids leak nothing.
 */
export class ClientState {
  private readonly sessions = new Map<string, OwnedSession>();
  private readonly shownSynthetic = new Set<string>();
  /** One round at a time per session, so an evaluation records ranks in round order. */
  readonly roundLock = new KeyedLock();

  own(sessionId: string, evaluation?: EvaluationEpisode): void {
    this.sessions.set(sessionId, { ...(evaluation ? { evaluation } : {}), finished: false });
  }

  /** Throws UNKNOWN_SESSION for sessions this client did not start. */
  require(sessionId: string): void {
    if (!this.sessions.has(sessionId)) throw unknownSession(sessionId);
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

  /** Ends an evaluation; its session can no longer run rounds. */
  markFinished(sessionId: string): void {
    const owned = this.sessions.get(sessionId);
    if (owned) owned.finished = true;
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
}
