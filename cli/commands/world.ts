import { Option, type Command } from 'commander';
import { SCENES_EMBEDDER_ID } from '../../core/scenes/scenes-bundle.js';
import { buildWorld, MAX_WORLD_SIZE, MIN_WORLD_SIZE } from '../../core/scenes/world-builder.js';
import { isMirageError, MirageError } from '../../core/errors.js';
import { formatArchiveSummary } from '../../core/render/archives-table.js';
import type { Quantization } from '../../core/ports/vector-index.js';
import type { CliContext } from '../context.js';
import { withInterrupt } from '../interrupt.js';
import { integerIn } from '../integer-option.js';
import { printJson, printLines } from '../output.js';
import { progressBar } from '../progress-bar.js';
import { defaultThreads } from '../../core/concurrency/worker-module.js';

const QUANTIZATIONS: readonly Quantization[] = ['f32', 'f16', 'i8'];

interface WorldCreateOptions {
  readonly name: string;
  readonly size: number;
  readonly seed: number;
  readonly quantization?: Quantization;
  readonly overwrite?: boolean;
  readonly json?: boolean;
  readonly threads: number;
}

export function registerWorld(program: Command, ctx: CliContext): void {
  const world = program.command('world').description('Procedural Scenes worlds: archives with known ground truth');
  world
    .command('create')
    .description('Render a Scenes world, embed every image and build its search index')
    .requiredOption('--name <name>', 'archive name (letters, digits, ".", "_", "-")')
    .requiredOption('--size <n>', 'number of images', integerIn('--size', MIN_WORLD_SIZE, MAX_WORLD_SIZE))
    .option('--seed <n>', 'world seed; the same seed gives the same world', integerIn('--seed', 0, 0xffffffff), 1)
    .addOption(new Option('--quantization <q>', 'index scalar type').choices(QUANTIZATIONS))
    .option('--overwrite', 'replace an existing archive of the same name')
    .option('--threads <n>', 'worker threads rendering and embedding (one per core unless set); 1 = this thread', integerIn('--threads', 1, 64), defaultThreads())
    .option('--json', 'print the archive manifest as JSON')
    .action(async (options: WorldCreateOptions) => {
      const { archives, models } = await ctx.runtime();
      const { imageEmbedder } = await models.bundleFor(SCENES_EMBEDDER_ID);
      const progress = progressBar(ctx.io, `Building ${options.name}`, 'images');
      const manifest = await withInterrupt((signal) =>
        buildWorld({
          store: archives,
          embedder: imageEmbedder,
          name: options.name,
          size: options.size,
          seed: options.seed,
          ...(options.quantization ? { quantization: options.quantization } : {}),
          overwrite: options.overwrite === true,
          threads: options.threads,
          onProgress: (done, total) => progress.update(done, total),
          signal,
        }),
      )
        .catch((e: unknown) => {
          if (isMirageError(e) && e.code === 'ALREADY_EXISTS') {
            throw new MirageError('ALREADY_EXISTS', `${e.message} Pass --overwrite to replace it.`, { cause: e });
          }
          throw e;
        })
        .finally(() => progress.stop());
      if (options.json) printJson(ctx.io, manifest);
      else printLines(ctx.io, formatArchiveSummary(manifest), '', `Search it: ${ctx.commandPrefix()} search --archive ${manifest.name} "describe the image"`);
    });
}
