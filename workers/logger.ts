import { pino, type Logger } from 'pino';
import type { MirageConfig } from '../core/config/config.js';

export type { Logger };

/** JSON lines on stdout, one per event, as container log collectors expect. */
export function workerLogger(config: Pick<MirageConfig, 'logLevel'>, bindings: Record<string, unknown>): Logger {
  return pino({ level: config.logLevel, base: bindings });
}
