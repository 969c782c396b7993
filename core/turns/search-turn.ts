import type { CallOptions, Engine } from '../ports/engine.js';
import { roundRequestSchema, type AllowFilter, type StartSessionRequest } from '../session/requests.js';
import { validate } from '../validate.js';
import { invalidInput } from '../errors.js';
import { resolveHitReferences, type HitReferenceRules } from './hit-references.js';
import type { Round, Session } from '../session/session.js';

/** Session settings a front end may pass when starting; fixed once the session exists. */
type SessionSettings = Pick<StartSessionRequest, 'archive' | 'strategy' | 'k' | 'samples' | 'seed'>;

export interface SearchTurnRequest {
  readonly query: string;
  /** Continue this session; otherwise a new one starts with `settings`. */
  readonly sessionId?: string;
  /** Only what the user set explicitly: when continuing, each must match the session. */
  readonly settings?: Partial<SessionSettings>;
  /** Hit numbers of the previous round ("3", 1-based as shown) or image ids. */
  readonly closerTo?: readonly string[];
  readonly notThese?: readonly string[];
  /** Only images this filter allows (what the person may see now). */
  readonly allow?: AllowFilter;
  /** How image ids in closerTo / notThese are checked. */
  readonly references?: HitReferenceRules;
}

export interface SearchTurn {
  /** The session including the new round. */
  readonly session: Session;
  readonly round: Round;
}

/**
 * One turn as a person types it: "start (or continue) a search with this description, and
 * these hits of the last round were closer / wrong". Shared by the CLI, the MCP server and the
 * bot so they resolve hit numbers and reject contradictory settings the same way.
 */
export async function runSearchTurn(engine: Engine, request: SearchTurnRequest, options: CallOptions = {}): Promise<SearchTurn> {
  // Checked before anything is created, so a bad description never leaves an empty session.
  const query = validate(roundRequestSchema.shape.query, request.query, 'description');
  const settings = request.settings ?? {};
  const closerRefs = request.closerTo ?? [];
  const notRefs = request.notThese ?? [];

  let session: Session;
  if (request.sessionId !== undefined) {
    session = await engine.getSession(request.sessionId);
    rejectChangedSettings(session, settings);
  } else {
    if (closerRefs.length > 0 || notRefs.length > 0) {
      throw invalidInput('Feedback on hits (closer to / not these) needs a session: hit numbers refer to its last round.');
    }
    if (settings.archive === undefined) throw invalidInput('An archive is needed to start a search.');
    session = await engine.startSession({ ...settings, archive: settings.archive });
  }
  const round = await engine.runRound(
    session.id,
    {
      query,
      closerTo: resolveHitReferences(session, closerRefs, request.references),
      notThese: resolveHitReferences(session, notRefs, request.references),
      ...(request.allow !== undefined ? { allow: request.allow } : {}),
    },
    options,
  );
  return { session: { ...session, rounds: [...session.rounds, round], updatedAt: round.createdAt }, round };
}

function rejectChangedSettings(session: Session, settings: Partial<SessionSettings>): void {
  for (const [key, value] of Object.entries(settings) as [keyof SessionSettings, unknown][]) {
    if (value === undefined || value === session[key]) continue;
    throw invalidInput(
      `The ${key} of session "${session.id}" is ${String(session[key])}; it cannot change to ${String(value)}. Leave it out to continue the session, or start a new one.`,
    );
  }
}
