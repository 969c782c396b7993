import type { MirageConfig } from '../core/config/config.js';
import { workerLogger } from './logger.js';
import { startWorker } from './mirage-worker.js';
import type { WorkerSettings } from './worker-settings.js';

/**
 * Runs a worker until SIGTERM or SIGINT. The first signal stops taking jobs and lets the
 * running ones finish (worker.close() waits for them) before exiting; a second signal exits at
 * once, and the unfinished job goes back to the queue when its lock expires (stalled-job
 * recovery), to be done by another worker.
 */
export async function runWorkerProcess(config: MirageConfig, settings: WorkerSettings): Promise<void> {
  const log = workerLogger(config, { pid: process.pid });
  const worker = await startWorker(config, settings, log);
  log.info({ worker: worker.name, concurrency: settings.concurrency, prefix: config.redisPrefix }, 'worker ready');
  await new Promise<void>((resolve, reject) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now; the running job will be retried by another worker');
        process.exit(130);
      }
      stopping = true;
      log.info({ signal }, 'shutting down: finishing the running jobs');
      worker.close().then(resolve, reject);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  log.info('worker stopped');
}
