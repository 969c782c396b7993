import type { MirageConfig } from '../core/config/config.js';
import { workerLogger } from './logger.js';
import { startWorker } from './mirage-worker.js';
import type { WorkerSettings } from './worker-settings.js';

/** After the grace period, what is left of the shutdown (handing jobs back, disconnecting) gets this long. */
const HAND_BACK_MS = 10_000;

/**
 * Runs a worker until SIGTERM or SIGINT. The first signal stops taking jobs and lets the
 * running ones go on for settings.shutdownGraceMs; those still running then are stopped and
 * handed back to the queue (another worker runs them; an ingest resumes after its last commit).
 * Whatever happens, the process exits within the grace period plus HAND_BACK_MS. A second
 * signal exits at once, and the unfinished job goes back to the queue when its lock expires
 * (stalled-job recovery).
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
      log.info({ signal, graceMs: settings.shutdownGraceMs }, 'shutting down: finishing the running jobs');
      setTimeout(() => {
        log.error('shutdown took too long: exiting now; unfinished jobs go back to the queue when their locks expire');
        process.exit(1);
      }, settings.shutdownGraceMs + HAND_BACK_MS).unref();
      worker.close({ graceMs: settings.shutdownGraceMs }).then(resolve, reject);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  log.info('worker stopped');
}
