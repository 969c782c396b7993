import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { integerIn } from '../integer-option.js';

interface WorkerOptions {
  readonly concurrency?: number;
  readonly lookupConcurrency?: number;
  readonly lockDuration?: number;
  readonly stalledInterval?: number;
  readonly shutdownGrace?: number;
}

export function registerWorker(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('Serve rounds, lookups and ingestion from the Redis queue (REDIS_URL) until stopped')
    .option('--concurrency <n>', 'model jobs at once: rounds, generate, embed, ingest (default: 1, one per GPU)', integerIn('--concurrency', 1, 64))
    .option('--lookup-concurrency <n>', 'image and session lookups at once (default: 8)', integerIn('--lookup-concurrency', 1, 256))
    .option('--lock-duration <ms>', "job lock: how long a dead worker's job waits before another worker takes it (default: 30000)", integerIn('--lock-duration', 1, 600_000))
    .option('--stalled-interval <ms>', 'how often to look for jobs of dead workers (default: 15000)', integerIn('--stalled-interval', 1, 600_000))
    .option(
      '--shutdown-grace <ms>',
      'on SIGTERM, how long running jobs may go on before they are stopped and handed back to the queue (default: 8000)',
      integerIn('--shutdown-grace', 0, 3_600_000),
    )
    .addHelpText(
      'after',
      [
        '',
        'Settings come from the environment: REDIS_URL, MIRAGE_REDIS_PREFIX, MIRAGE_DATA_DIR, MIRAGE_MODELS_DIR,',
        'MIRAGE_INGEST_ROOTS (folders ingest jobs may read), MIRAGE_INGEST_PRIVATE_NETWORK, ...',
        'Stop with SIGTERM or Ctrl-C: running jobs get --shutdown-grace to finish, then go back to the queue',
        '(a second signal exits at once).',
      ].join('\n'),
    )
    .action(async (options: WorkerOptions) => {
      // Loaded here so that every other command (and --help) starts without BullMQ.
      const { runWorkerProcess } = await import('../../workers/run-worker.js');
      const { workerSettings, testRoundDelayFrom } = await import('../../workers/worker-settings.js');
      const roundDelayMs = testRoundDelayFrom(process.env);
      await runWorkerProcess(
        ctx.config(),
        workerSettings({
          concurrency: options.concurrency,
          lookupConcurrency: options.lookupConcurrency,
          lockDurationMs: options.lockDuration,
          stalledIntervalMs: options.stalledInterval,
          shutdownGraceMs: options.shutdownGrace,
          roundDelayMs,
        }),
      );
    });
}
