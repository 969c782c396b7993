import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The CLI next to this module: the TypeScript source when running under tsx (tests), the
 * compiled file when running from dist/ (benchmarks, containers).
 */
function cliCommand(): string[] {
  const fromSource = import.meta.url.endsWith('.ts');
  const cli = fileURLToPath(new URL(`../cli/main.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  return fromSource ? ['--import', 'tsx', cli] : [cli];
}

/** Loading models and opening archives can take a while; a worker silent for this long is stuck. */
const READY_TIMEOUT_MS = 120_000;

export interface WorkerChildOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly dataDir: string;
  /** Extra `mirage worker` flags. */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export interface LogLine {
  readonly msg?: string;
  readonly job?: string;
  readonly jobId?: string;
  readonly [key: string]: unknown;
}

/**
 * Starts `mirage worker` as a child process, resolving once it logs that it is ready, and
 * collects its JSON log lines: for the queue tests and the queue benchmark, which need real
 * worker processes to kill, restart and measure.
 */
export class WorkerChild {
  readonly logs: LogLine[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly name: string,
  ) {
    // 'close', not 'exit': it comes after stdout has ended, so every log line is in by then.
    this.exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  static start(options: WorkerChildOptions): Promise<WorkerChild> {
    const child = spawn(process.execPath, [...cliCommand(), 'worker', ...(options.args ?? [])], {
      env: {
        ...process.env,
        REDIS_URL: options.redisUrl,
        MIRAGE_REDIS_PREFIX: options.prefix,
        MIRAGE_DATA_DIR: options.dataDir,
        ...options.env,
        // The "worker ready" line (info) is how this class knows the worker is up.
        MIRAGE_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      let worker: WorkerChild | undefined;
      const lines: LogLine[] = [];
      let stderr = '';
      let buffered = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`The worker was not ready within ${READY_TIMEOUT_MS} ms:\n${stderr}`));
      }, READY_TIMEOUT_MS);
      child.stderr?.on('data', (chunk: Buffer) => {
        if (!worker) stderr += chunk.toString();
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        for (const text of parts) {
          if (!text.trim()) continue;
          const line = parseLine(text);
          (worker?.logs ?? lines).push(line);
          if (!worker && line.msg === 'worker ready') {
            worker = new WorkerChild(child, String(line.worker));
            worker.logs.push(...lines);
            clearTimeout(timer);
            resolve(worker);
          }
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!worker) reject(new Error(`The worker exited (${code}) before it was ready:\n${stderr}`));
      });
    });
  }

  /** Log lines of finished jobs of one kind, received so far. */
  jobsDone(job: string): LogLine[] {
    return this.logs.filter((l) => l.msg === 'job done' && l.job === job);
  }

  /**
   * Resolves once `count` log lines matching `test` have arrived. Log lines travel through a pipe
   * and may arrive after a job's result came back through Redis, so a test that looks for one
   * waits for it instead of reading `logs` at once.
   */
  logged(test: (line: LogLine) => boolean, count = 1): Promise<LogLine[]> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.logs.filter(test);
        if (found.length < count) return false;
        resolve(found);
        return true;
      };
      if (check()) return;
      const listener = () => {
        if (check()) this.child.stdout?.off('data', listener);
      };
      // Runs after the class's own data handler (registered first) has pushed the new lines.
      this.child.stdout?.on('data', listener);
    });
  }

  /** Resident memory of the process now, in bytes (Linux). */
  async rss(): Promise<number> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    if (kb === undefined) throw new Error(`No VmRSS for process ${this.pid}.`);
    return Number(kb) * 1024;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM, then waits for a clean exit; returns the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }

  waitForExit(): Promise<number | null> {
    return this.exited;
  }
}

function parseLine(text: string): LogLine {
  try {
    return JSON.parse(text) as LogLine;
  } catch {
    return { text };
  }
}
