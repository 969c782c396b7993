import { Command, CommanderError } from 'commander';
import { registerArchive } from './commands/archive.js';
import { registerArchives } from './commands/archives.js';
import { registerBot } from './commands/bot.js';
import { registerMcp } from './commands/mcp.js';
import { registerDemo } from './commands/demo.js';
import { registerEval } from './commands/eval.js';
import { registerIngest } from './commands/ingest.js';
import { registerModels } from './commands/models.js';
import { registerSearch } from './commands/search.js';
import { registerSelect } from './commands/select.js';
import { registerTextTower } from './commands/text-tower.js';
import { registerWorker } from './commands/worker.js';
import { registerWorld } from './commands/world.js';
import { CliContext, type GlobalOptions, type RuntimeFactory } from './context.js';
import { exitCodeFor, formatError, processIo, type CliIo } from './output.js';

/** One file per command under cli/commands/, each adding itself to the program. */
const COMMANDS = [registerDemo, registerEval, registerWorld, registerArchives, registerArchive, registerIngest, registerModels, registerSearch, registerSelect, registerTextTower, registerWorker, registerMcp, registerBot] as const;

export interface RunCliOptions {
  readonly io?: CliIo;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly createRuntime?: RuntimeFactory;
}

function buildProgram(ctx: CliContext, io: CliIo): Command {
  const program = new Command('mirage')
    .description('Mental image retrieval with generative visual feedback: describe an image, see what the system pictured, refine, find it.')
    .option('--data-dir <dir>', 'where archives, sessions and synthetic images live (env MIRAGE_DATA_DIR, default ./data)')
    // Usage errors throw instead of exiting, so runCli decides the exit code and tests stay in-process.
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (message, write) => write(message),
    })
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  mirage world create --name scenes-10k --size 10000 --seed 1',
        '  mirage search --archive scenes-10k "a red car under a tree at night"',
        '  mirage search --session <id> --closer-to 3,5 --not 1 "a red car under a big tree at night"',
        '  mirage select --session <id> --result 3',
        '  mirage models pull clip-vit-b32 && mirage ingest ~/Pictures --archive photos --embedder clip-vit-b32',
      ].join('\n'),
    );
  for (const register of COMMANDS) register(program, ctx);
  return program;
}

/** Runs the CLI on user arguments (no "node script" prefix) and returns the exit code. */
export async function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const io = options.io ?? processIo;
  let program: Command | undefined;
  const ctx = new CliContext({
    io,
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
    // Imported on demand so that --help and usage errors never load the index library.
    createRuntime:
      options.createRuntime ??
      (async (config, runtimeOptions) => (await import('../core/runtime/runtime.js')).createRuntime(config, runtimeOptions)),
    globals: () => program?.opts<GlobalOptions>() ?? {},
  });
  program = buildProgram(ctx, io);
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (error) {
    // Commander already printed its own usage errors and help.
    if (!(error instanceof CommanderError)) io.stderr(`${formatError(error)}\n`);
    return exitCodeFor(error);
  } finally {
    await ctx.close();
  }
}
