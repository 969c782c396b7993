import type { JobName, JobRun, JobTypes } from '../core/ports/job-contract.js';
import type { WorkerServices } from '../core/runtime/worker-runtime.js';
import type { WorkerSettings } from './worker-settings.js';

/** What every job handler works with: the worker's services and its settings. */
export interface WorkerContext extends WorkerServices {
  readonly settings: WorkerSettings;
}

/** One kind of job, as a worker runs it. */
export type JobHandler<N extends JobName> = (ctx: WorkerContext, run: JobRun<N>) => Promise<JobTypes[N]['result']>;
