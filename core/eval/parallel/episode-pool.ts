import { MessageChannel } from 'node:worker_threads';
import Tinypool from 'tinypool';
import type { EvalArm } from '../eval-config.js';
import type { EpisodeObservation, EpisodeOptions } from '../episode-options.js';
import type { EpisodeRecord } from '../episode-record.js';
import type { EpisodePlayer } from './episode-player.js';
import type { EpisodeTask, ObservationAck, ObservationMessage } from './episode-task.js';
import { reviveObservation } from './observation-transfer.js';

export interface EpisodePoolOptions<Setup> {
  /** The worker module (see workerModule); its default export plays one EpisodeTask. */
  readonly filename: string;
  readonly threads: number;
  /** Episodes in flight per thread (their rounds interleave while sharp works off-thread). */
  readonly perThread: number;
  /** What every worker builds its engine and searcher from; plain data. */
  readonly setup: Setup;
}

/**
 * Plays episodes on worker threads, each with its own engine over the same archive. Episodes
 * share nothing but their seeds, so where one runs does not change its record. Rounds are shown
 * to the main thread's `observe` in order, each acknowledged before the next round, as in a
 * single-threaded run, so observers (report, dataset) write exactly what they would.
 *
 * All episodes of one target go to the same thread (the least busy one when its first episode
 * comes): every strategy starts from the same description and often repeats later ones, and a
 * thread's engine embeds a description once for all of them, as a single-threaded run does.
 */
export class EpisodePool<Setup> implements EpisodePlayer {
  readonly slots: number;
  private readonly threads: Tinypool[];
  private readonly busy: number[];
  private readonly home = new Map<string, number>();

  constructor(private readonly options: EpisodePoolOptions<Setup>) {
    this.slots = options.threads * options.perThread;
    this.threads = Array.from(
      { length: options.threads },
      () =>
        new Tinypool({
          filename: options.filename,
          minThreads: 1,
          maxThreads: 1,
          concurrentTasksPerWorker: options.perThread,
          // A thread lives for the whole run; its engine is built once.
          idleTimeout: 60_000,
        }),
    );
    this.busy = this.threads.map(() => 0);
  }

  async play(options: EpisodeOptions, arm: EvalArm): Promise<EpisodeRecord> {
    const { signal, observe } = options;
    signal?.throwIfAborted();
    const task: EpisodeTask<Setup> = {
      setup: this.options.setup,
      archive: options.archive,
      strategy: options.strategy,
      ...(options.label !== undefined ? { label: options.label } : {}),
      textTower: arm.textTower,
      targetId: options.targetId,
      rounds: options.rounds,
      k: options.k,
      samples: options.samples,
      seed: options.seed,
    };
    const thread = this.threadFor(options.targetId);
    const channel = observe ? new MessageChannel() : undefined;
    if (channel && observe) listen(channel.port1, observe);
    this.busy[thread]!++;
    try {
      return (await this.threads[thread]!.run(channel ? { ...task, observations: channel.port2 } : task, {
        ...(channel ? { transferList: [channel.port2] } : {}),
        ...(signal ? { signal } : {}),
      })) as EpisodeRecord;
    } catch (e) {
      // Aborting one task ends its thread, and with it that thread's other episodes.
      if (signal?.aborted) throw new DOMException('The evaluation was interrupted.', 'AbortError');
      throw e;
    } finally {
      this.busy[thread]!--;
      channel?.port1.close();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.destroy()));
  }

  private threadFor(targetId: string): number {
    let thread = this.home.get(targetId);
    if (thread === undefined) {
      thread = this.busy.indexOf(Math.min(...this.busy));
      this.home.set(targetId, thread);
    }
    return thread;
  }
}

/** Handles one episode's observations one after another, acknowledging each. */
function listen(port: MessageChannel['port1'], observe: (observation: EpisodeObservation) => Promise<void>): void {
  let chain = Promise.resolve();
  port.on('message', (message: ObservationMessage) => {
    chain = chain.then(async () => {
      let ack: ObservationAck = { n: message.n };
      try {
        await observe(reviveObservation(message.observation));
      } catch (e) {
        ack = { n: message.n, error: e instanceof Error ? e.message : String(e) };
      }
      port.postMessage(ack);
    });
  });
}
