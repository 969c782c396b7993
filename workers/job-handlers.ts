import type { JobDispatch, JobName } from '../core/ports/job-contract.js';
import { ingestJob } from './handlers/ingest-job.js';
import { archivesJob, deleteSessionJob, imageJob, rankJob, selectJob, startJob } from './handlers/lookup-jobs.js';
import { embedJob, generateJob } from './handlers/model-jobs.js';
import { removeJob } from './handlers/remove-job.js';
import { roundJob } from './handlers/round-job.js';
import type { JobHandler, WorkerContext } from './worker-context.js';

/** One file per kind of job under handlers/, as the MCP server has one per tool. */
const HANDLERS: { readonly [N in JobName]: JobHandler<N> } = {
  round: roundJob,
  generate: generateJob,
  embed: embedJob,
  ingest: ingestJob,
  remove: removeJob,
  archives: archivesJob,
  start: startJob,
  select: selectJob,
  'delete-session': deleteSessionJob,
  image: imageJob,
  rank: rankJob,
};

/** Runs each job with its handler over one worker's context. */
export function dispatchJobs(ctx: WorkerContext): JobDispatch {
  return (name, run) => (HANDLERS[name] as JobHandler<typeof name>)(ctx, run);
}
