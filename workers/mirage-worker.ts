import { hostname } from 'node:os';
import type { MirageConfig } from '../core/config/config.js';
import { createWorkerRuntime } from '../core/runtime/worker-runtime.js';
import { dispatchJobs } from './job-handlers.js';
import type { Logger } from './logger.js';
import type { WorkerContext } from './worker-context.js';
import type { WorkerSettings } from './worker-settings.js';

export interface MirageWorker {
  /** "mirage-worker@<host>:<pid>", recorded on every job it processes (job.processedBy). */
  readonly name: string;
  /**
   * Stops taking jobs, waits for the running ones to finish (with `graceMs`, at most that long:
   * the rest are stopped and handed back to the queue), then disconnects.
   */
  close(options?: { readonly graceMs?: number }): Promise<void>;
}

/**
 * A worker process's job loop: loads the models and opens the archives once, then serves the
 * "models" queue (concurrency settings.concurrency) and the "lookups" queue until closed.
 */
export async function startWorker(config: MirageConfig, settings: WorkerSettings, log: Logger): Promise<MirageWorker> {
  const runtime = createWorkerRuntime(config, (e) => log.warn({ error: e.message }, 'redis connection trouble'));
  const ctx: WorkerContext = { ...runtime.services, settings };
  await preload(ctx, log);
  const name = `mirage-worker@${hostname()}:${process.pid}`;
  const server = await runtime.serve(dispatchJobs(ctx), { name, settings, log });
  return {
    name,
    async close(options) {
      await server.close(options);
      await runtime.close();
    },
  };
}

/** Opens every archive and loads the models that serve it, so the first round is not slow. */
async function preload(ctx: WorkerContext, log: Logger): Promise<void> {
  for (const manifest of await ctx.archives.list()) {
    try {
      await ctx.archives.current(manifest.name);
      await ctx.models.bundleFor(manifest.embedder);
      log.info({ archive: manifest.name, images: manifest.count, embedder: manifest.embedder }, 'archive ready');
    } catch (e) {
      // Served on demand instead (and the error reaches the caller then): one broken archive or
      // missing model must not keep a worker from serving the others.
      log.warn({ archive: manifest.name, error: e instanceof Error ? e.message : String(e) }, 'archive not preloaded');
    }
  }
}
