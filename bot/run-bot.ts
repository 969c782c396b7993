import { pino } from 'pino';
import type { MirageConfig } from '../core/config/config.js';
import type { BotSettings } from './bot-settings.js';
import { startBot } from './mirage-bot.js';

/**
 * Runs the bot until SIGTERM or SIGINT, then shuts it down within the grace period: running
 * rounds finish or are cancelled (nothing half-saved), indexing under way completes, the
 * gateway closes. The signals are taken from the start, so one that arrives while the bot is
 * still logging in stops it as soon as it is up. A second signal exits at once.
 */
export async function runBotProcess(config: MirageConfig, settings: BotSettings): Promise<void> {
  const log = pino({ level: config.logLevel, base: { pid: process.pid, service: 'mirage-bot' } });
  let signalled: (signal: NodeJS.Signals) => void = () => undefined;
  const stopAsked = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    signalled(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const bot = await startBot(config, settings, log);
    const signal = await stopAsked;
    log.info({ signal }, 'shutting down');
    await bot.close();
    log.info('bot stopped');
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
