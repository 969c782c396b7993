import { SingleBar } from 'cli-progress';
import type { CliIo } from './output.js';

export interface ProgressReporter {
  update(done: number, total: number): void;
  stop(): void;
}

const SILENT: ProgressReporter = { update: () => {}, stop: () => {} };

/**
 * A bar with rate and ETA on stderr, or nothing when stderr is not a terminal (CI logs, pipes,
 * --json), so stdout always carries only the result.
 */
export function progressBar(io: CliIo, label: string, unit: string): ProgressReporter {
  if (!io.interactive) return SILENT;
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
    etaBuffer: 50,
  });
  const started = performance.now();
  let running = false;
  return {
    update(done, total) {
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? (done / seconds).toFixed(1) : '-';
      // Starting from zero gives the ETA estimate a first interval to work with.
      if (!running) bar.start(total, 0, { rate });
      running = true;
      bar.setTotal(total);
      bar.update(done, { rate });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
