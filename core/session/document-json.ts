import { invalidInput } from '../errors.js';

/** The one serialised form of a stored document; what JSON cannot keep is refused, not dropped. */
export function documentToJson(key: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw invalidInput(`Document "${key}" cannot be stored as JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (text === undefined) throw invalidInput(`Document "${key}" cannot be stored as JSON.`);
  return text;
}

/** `where` names the source in the message if the text is damaged. */
export function documentFromJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${where} is not valid JSON.`, { cause: e });
  }
}
