import { invalidInput } from '../errors.js';
import type { Round, Session } from '../session/session.js';

/**
 * Front ends let people point at results the way they see them: "3" means hit #3 of the last
 * round (1-based, as numbered on the contact sheet); anything else is taken as an image id.
 */
const HIT_NUMBER = /^#?(\d+)$/;

/** Splits "3,5" or "3 5 #7" into references; an empty list is an error, not "no feedback". */
export function parseHitReferences(text: string, what = 'hit list'): string[] {
  const refs = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (refs.length === 0) throw invalidInput(`The ${what} is empty; give hit numbers such as "3,5".`);
  return refs;
}

export function lastRound(session: Session): Round | undefined {
  return session.rounds[session.rounds.length - 1];
}

export interface HitReferenceRules {
  /**
   * Image ids must have been shown in this session (as hits or as its best match). Sealed
   * evaluations need it: an id learned elsewhere, such as the target's, must not steer a round.
   */
  readonly shownOnly?: boolean;
}

/** Every image a session has shown so far: its hits and the best matches shown as feedback. */
export function shownImageIds(session: Pick<Session, 'rounds'>): Set<string> {
  const shown = new Set<string>();
  for (const round of session.rounds) {
    for (const hit of round.hits) shown.add(hit.id);
    if (round.feedback.kind === 'top1') shown.add(round.feedback.imageId);
  }
  return shown;
}

/** Resolves one reference against the session's last round; ids pass through unchanged (unless rules forbid). */
export function resolveHitReference(session: Session, ref: string, rules: HitReferenceRules = {}): string {
  const trimmed = ref.trim();
  const number = HIT_NUMBER.exec(trimmed)?.[1];
  if (number === undefined) {
    if (trimmed.length === 0) throw invalidInput('An empty hit reference was given.');
    if (rules.shownOnly && !shownImageIds(session).has(trimmed)) {
      throw invalidInput(`Image "${trimmed}" was not shown in session "${session.id}"; refer to hits this session showed (by number or id).`);
    }
    return trimmed;
  }
  const round = lastRound(session);
  if (!round) {
    throw invalidInput(`Hit #${number} refers to the previous round, but session "${session.id}" has no rounds yet.`);
  }
  const hit = round.hits[Number(number) - 1];
  if (!hit) {
    // An id that merely looks like a number is still accepted if it was actually shown.
    if (session.rounds.some((r) => r.hits.some((h) => h.id === trimmed))) return trimmed;
    throw invalidInput(
      `There is no hit #${number}: round ${round.index + 1} of session "${session.id}" showed ${round.hits.length} hit${round.hits.length === 1 ? '' : 's'} (#1-#${round.hits.length}).`,
    );
  }
  return hit.id;
}

/** Resolves several references, keeping the first occurrence of each image. */
export function resolveHitReferences(session: Session, refs: readonly string[], rules: HitReferenceRules = {}): string[] {
  return [...new Set(refs.map((ref) => resolveHitReference(session, ref, rules)))];
}
