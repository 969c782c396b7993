import type { Logger } from 'pino';
import type { Asker } from './asker.js';
import { refusalText, UNEXPECTED_TEXT } from './bot-error.js';
import { notice } from './views/message-payload.js';

/**
 * Runs a handler and turns any failure into a message for the member: a refusal as it is, an
 * engine error in plain words, anything unexpected as a short apology (logged in full). A
 * command's deferred reply becomes that message; a control keeps its round and gets a private
 * note. One member's failure never affects anyone else.
 */
export async function answeringFailures(log: Logger, asker: Asker, kind: 'command' | 'control', work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    const text = refusalText(e);
    if (text === undefined) log.error({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), guild: asker.member.guildId }, 'interaction failed');
    const said = text ?? UNEXPECTED_TEXT;
    if (kind === 'command') await asker.show(notice(said)).catch(() => asker.tell(said));
    else await asker.tell(said);
  }
}
