import { invalidInput, MirageError } from '../core/errors.js';

/** One client's open evaluation and the archive images it has shown so far. */
export interface OpenEvaluation {
  readonly archive: string;
  /** Unset while start_evaluation is still creating the session. */
  sessionId?: string;
  readonly shown: Set<string>;
}

/**
 * The evaluation each client identity has open. While it is open the client sees only what that
 * evaluation showed it: otherwise it could look the target up (a normal search, show_image of
 * listed ids, a second evaluation used as a probe) and steer the measured rounds with what it
 * found. Shared by every connection of one server process, because over HTTP one bearer token
 * may hold several MCP sessions.
 */
export class EvaluationSeals {
  private readonly open = new Map<string, OpenEvaluation>();

  /** Reserves the identity's one evaluation before its session exists, so concurrent starts cannot both pass. */
  reserve(identity: string, archive: string): OpenEvaluation {
    const current = this.open.get(identity);
    if (current) throw invalidInput(`${describe(current)} is still open: finish it with finish_evaluation before starting another.`);
    const entry: OpenEvaluation = { archive, shown: new Set() };
    this.open.set(identity, entry);
    return entry;
  }

  openFor(identity: string): OpenEvaluation | undefined {
    return this.open.get(identity);
  }

  release(identity: string, entry: OpenEvaluation): void {
    if (this.open.get(identity) === entry) this.open.delete(identity);
  }
}

const describe = (open: OpenEvaluation) =>
  open.sessionId === undefined ? 'An evaluation being started' : `Evaluation session "${open.sessionId}"`;

/** What a client asking for anything outside its open evaluation is told. */
export function sealedRefusal(open: OpenEvaluation, what: string): MirageError {
  return invalidInput(
    `${describe(open)} is open: until finish_evaluation, ${what} is not available (only that session, its hits and its synthetic images are).`,
  );
}

export function notShownRefusal(open: OpenEvaluation, id: string): MirageError {
  return new MirageError('UNKNOWN_IMAGE', `Image "${id}" was not shown in ${describe(open).replace(/^Evaluation/, 'evaluation')}; while it is open only its hits can be shown.`);
}
