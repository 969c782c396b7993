import type { Asker } from '../asker.js';
import type { BotContext } from '../bot-context.js';
import type { ControlAction, ControlId } from '../custom-ids.js';

/** What a control interaction carries besides its custom id. */
export interface ControlInput {
  /** Selected values of a select menu (hit numbers, "1"-based). */
  readonly values: readonly string[];
  /** Text inputs of a submitted modal, by custom id. */
  readonly fields: Readonly<Record<string, string>>;
}

/** The handler of one kind of control (a button, select or modal under a round). */
export interface BotControl {
  readonly action: ControlAction;
  handle(ctx: BotContext, asker: Asker, id: ControlId, input: ControlInput): Promise<void>;
}
