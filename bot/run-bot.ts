import { pino } from 'pino';
import type { MirageConfig } from '../core/config/config.js';
import type { BotSettings } from './bot-settings.js';
import { startBot } from './mirage-bot.js';

/**
 * Runs the bot until SIGTERM or SIGINT, then shuts it down within the grace period: running
 * rounds finish or are cancelled (nothing half-saved), indexing under way completes, the
 * gateway closes. A second signal exits at once.
 */
export async function runBotProcess(config: MirageConfig, settings: BotSettings): Promise<void> {
  const log = pino({ level: config.logLevel, base: { pid: process.pid, service: 'mirage-bot' } });
  const bot = await startBot(config, settings, log);
  await new Promise<void>((resolve, reject) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      stopping = true;
      log.info({ signal }, 'shutting down');
      bot.close().then(resolve, reject);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  log.info('bot stopped');
}
