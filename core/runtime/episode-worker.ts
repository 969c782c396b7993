import type { MessagePort } from 'node:worker_threads';
import type { MirageConfig } from '../config/config.js';
import { runEpisode } from '../eval/episode.js';
import type { EpisodeObservation } from '../eval/episode-options.js';
import type { EpisodeRecord } from '../eval/episode-record.js';
import type { EpisodeTask, ObservationAck, ObservationMessage } from '../eval/parallel/episode-task.js';
import { createSearcher, type SearcherSpec } from '../eval/searcher-factory.js';
import type { Searcher } from '../eval/searcher.js';
import type { Engine } from '../ports/engine.js';
import { createRuntime } from './runtime.js';

/** What an evaluation worker thread builds its engine and searcher from. */
export interface EvalWorkerSetup {
  readonly config: MirageConfig;
  readonly searcher: SearcherSpec;
  readonly archive: string;
}

interface WorkerState {
  readonly engine: Engine;
  /** The engine on the oracle text tower (text-oracle arm), built on first use. */
  readonly oracleEngine: () => Engine;
  readonly searcher: Searcher;
}

/** One per thread: a pool serves one run, so every task carries the same setup. */
let state: Promise<WorkerState> | undefined;

async function build(setup: EvalWorkerSetup): Promise<WorkerState> {
  // Read-only use of the archive; sessions are throw-away and stay in this thread's memory.
  const runtime = createRuntime(setup.config, { ephemeralSessions: true });
  const archive = await runtime.archives.open(setup.archive);
  return { engine: runtime.engine, oracleEngine: () => runtime.textOracle().engine, searcher: await createSearcher(setup.searcher, archive) };
}

/** Worker-thread entry (tinypool): plays one episode with this thread's engine. */
export default async function playEpisodeTask(task: EpisodeTask<EvalWorkerSetup>): Promise<EpisodeRecord> {
  state ??= build(task.setup);
  const { engine, oracleEngine, searcher } = await state;
  const port = task.observations;
  try {
    return await runEpisode({
      engine: task.textTower === 'oracle' ? oracleEngine() : engine,
      searcher,
      archive: task.archive,
      strategy: task.strategy,
      ...(task.label !== undefined ? { label: task.label } : {}),
      targetId: task.targetId,
      rounds: task.rounds,
      k: task.k,
      samples: task.samples,
      seed: task.seed,
      ...(port ? { observe: forwardTo(port) } : {}),
    });
  } finally {
    port?.close();
  }
}

/** Sends each observation to the main thread and waits until it was handled there. */
function forwardTo(port: MessagePort): (observation: EpisodeObservation) => Promise<void> {
  let n = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  port.on('message', (ack: ObservationAck) => {
    const waiter = waiting.get(ack.n);
    waiting.delete(ack.n);
    if (ack.error === undefined) waiter?.resolve();
    else waiter?.reject(new Error(ack.error));
  });
  return (observation) =>
    new Promise<void>((resolve, reject) => {
      const message: ObservationMessage = { n: n++, observation };
      waiting.set(message.n, { resolve, reject });
      port.postMessage(message);
    });
}
