import { randomBytes } from 'node:crypto';
import { DISCORD_LIMITS } from './discord-limits.js';

/** What a control under a round does; each has one handler file in components/. */
export const CONTROL_ACTIONS = ['refine', 'refined', 'closer', 'not', 'reroll', 'found', 'stop', 'share', 'forget'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

/**
 * A control's custom id: "m:<action>:<ref>:<round>". The ref is an opaque random reference to
 * a search (never the engine's session id), so a button reveals nothing and survives a restart
 * (the ref lives in the bot's state); the round stops a stale control from acting on a newer
 * round. Forget-me confirmations carry the member id instead of a ref.
 */
export interface ControlId {
  readonly action: ControlAction;
  readonly ref: string;
  readonly round: number;
}

const PATTERN = /^m:([a-z]+):([A-Za-z0-9_-]{1,40}):(\d{1,4})$/;

export function encodeControlId(id: ControlId): string {
  const text = `m:${id.action}:${id.ref}:${id.round}`;
  if (!PATTERN.test(text) || text.length > DISCORD_LIMITS.customIdChars) throw new Error(`Cannot encode control id ${JSON.stringify(id)}.`);
  return text;
}

/** The control a custom id names, or undefined for one Mirage did not make. */
export function decodeControlId(text: string): ControlId | undefined {
  const match = PATTERN.exec(text);
  const action = CONTROL_ACTIONS.find((a) => a === match?.[1]);
  if (!match || action === undefined) return undefined;
  return { action, ref: match[2] as string, round: Number(match[3]) };
}

/** 96 random bits in hex: unguessable, short enough for a custom id, and a safe storage key. */
export const newSearchRef = (): string => randomBytes(12).toString('hex');
