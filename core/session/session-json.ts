import type { Session } from './session.js';
import { invalidInput } from '../errors.js';
import { assertSafeId } from '../fs/safe-names.js';

/**
 * The one serialised form of a session, shared by the file and memory stores so that both keep
 * exactly what JSON keeps (a test on the memory store sees what production would load back).
 */
export function sessionToJson(session: Session): string {
  assertSafeId('Session id', session?.id);
  let text: string | undefined;
  try {
    text = JSON.stringify(session);
  } catch (e) {
    throw invalidInput(`Session "${session.id}" cannot be stored as JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (text === undefined) throw invalidInput(`Session "${session.id}" cannot be stored as JSON.`);
  return text;
}

/** `where` names the source (a file path) in the message if the text is damaged. */
export function sessionFromJson(text: string, id: string, where: string): Session {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where} is not valid JSON.`, { cause: e });
  }
  if (typeof value !== 'object' || value === null || (value as { id?: unknown }).id !== id) {
    throw new Error(`${where} does not hold session "${id}".`);
  }
  return value as Session;
}
