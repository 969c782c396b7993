import type { RuntimeFactory } from '../../cli/context.js';
import { runCli } from '../../cli/program.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface HarnessOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly createRuntime?: RuntimeFactory;
}

/** Runs the CLI in this process with captured output (no TTY, so no progress bars). */
export async function mirage(args: readonly string[], options: HarnessOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    io: { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false },
    env: options.env ?? {},
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.createRuntime ? { createRuntime: options.createRuntime } : {}),
  });
  return { code, stdout, stderr };
}
