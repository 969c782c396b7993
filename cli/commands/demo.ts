import path from 'node:path';
import type { Command } from 'commander';
import { SCENES_EMBEDDER_ID } from '../../core/scenes/scenes-bundle.js';
import { buildWorld, MAX_WORLD_SIZE, MIN_WORLD_SIZE } from '../../core/scenes/world-builder.js';
import { STRATEGY_NAMES } from '../../core/session/session.js';
import type { CliContext } from '../context.js';
import { withInterrupt } from '../interrupt.js';
import { integerIn } from '../integer-option.js';
import { printLines } from '../output.js';
import { progressBar } from '../progress-bar.js';
import { runEvalCommand } from './eval.js';
import { defaultThreads } from '../../core/concurrency/worker-module.js';

const DEMO_ARCHIVE = 'scenes-demo';

interface DemoFlags {
  readonly size: number;
  readonly targets: number;
  readonly rounds: number;
  readonly concurrency: number;
  readonly threads: number;
  readonly seed: number;
  readonly out?: string;
}

export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description(`The main job, offline: build the ${DEMO_ARCHIVE} world on first use, then evaluate all five strategies with the scripted searcher`)
    .option('--size <n>', 'images in the demo world (first build only)', integerIn('--size', MIN_WORLD_SIZE, MAX_WORLD_SIZE), 1500)
    .option('--targets <n>', 'targets', integerIn('--targets', 1, 100_000), 200)
    .option('--rounds <n>', 'rounds after round 0', integerIn('--rounds', 0, 50), 10)
    .option('--concurrency <n>', 'episodes in flight (per thread)', integerIn('--concurrency', 1, 64), 4)
    .option('--threads <n>', 'worker threads for the world build and the episodes (one per core unless set); 1 = this thread', integerIn('--threads', 1, 64), defaultThreads())
    .option('--seed <n>', 'seed', integerIn('--seed', 0, 0xffffffff), 1)
    .option('--out <dir>', 'run folder (default runs/demo-<time>)')
    .action(async (flags: DemoFlags) => {
      const { archives, models } = await ctx.runtime({ ephemeralSessions: true });
      if (!(await archives.exists(DEMO_ARCHIVE))) {
        const { imageEmbedder } = await models.bundleFor(SCENES_EMBEDDER_ID);
        const progress = progressBar(ctx.io, `Building ${DEMO_ARCHIVE}`, 'images');
        ctx.io.stderr(`Building the ${DEMO_ARCHIVE} world (${flags.size} images, first run only)...\n`);
        await withInterrupt((signal) =>
          buildWorld({
            store: archives,
            embedder: imageEmbedder,
            name: DEMO_ARCHIVE,
            size: flags.size,
            seed: flags.seed,
            threads: flags.threads,
            onProgress: (done, total) => progress.update(done, total),
            signal,
          }),
        ).finally(() => progress.stop());
      }
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      await runEvalCommand(ctx, {
        config: {
          archive: DEMO_ARCHIVE,
          strategies: [...STRATEGY_NAMES],
          searcher: 'scripted',
          targets: flags.targets,
          rounds: flags.rounds,
          concurrency: flags.concurrency,
          seed: flags.seed,
        },
        searcher: { kind: 'scripted' },
        out: flags.out ?? path.join('runs', `demo-${stamp}`),
        exportDataset: false,
        threads: flags.threads,
      });
      printLines(ctx.io, '', `Next: ${ctx.commandPrefix()} search --archive ${DEMO_ARCHIVE} "a red car under a tree at night"`);
    });
}
