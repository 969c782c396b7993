import type { Command } from 'commander';
import { findInstalledModels } from '../../core/models/installed-models.js';
import { pinPreset, pullModel } from '../../core/models/model-pull.js';
import { MODEL_PRESETS } from '../../core/models/presets.js';
import { formatBytes, formatModelsTable } from '../../core/render/models-table.js';
import type { CliContext } from '../context.js';
import { withInterrupt } from '../interrupt.js';
import { printJson, printLines } from '../output.js';
import { progressBar } from '../progress-bar.js';

interface PullOptions {
  readonly variant?: string;
  readonly dir?: string;
  readonly hubUrl?: string;
  readonly json?: boolean;
  readonly unpinned?: boolean;
}

export function registerModels(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('Real models (ONNX): download presets, list what is installed');
  const modelsDir = (dir: string | undefined) => (dir === undefined ? ctx.config().modelsDir : ctx.resolvePath(dir));

  models
    .command('pull')
    .description('Download a preset from the model hub into <dir>/<preset>, verified; re-run to resume')
    .argument('<preset>', `one of ${MODEL_PRESETS.map((p) => p.name).join(', ')}`)
    .option('--variant <name>', 'file variant, e.g. fp32 or quantized (default: the preset\'s first)')
    .option('--dir <dir>', 'models folder (env MIRAGE_MODELS_DIR, default ./models)')
    .option('--hub-url <url>', 'model hub (or mirror) base URL')
    .option('--unpinned', "pull a preset that is not pinned to a reviewed commit: what the hub lists now, checked only against that listing")
    .option('--json', 'print the pull report as JSON')
    .action(async (preset: string, options: PullOptions) => {
      const progress = progressBar(ctx.io, `Pulling ${preset}`, 'MB');
      const report = await withInterrupt((signal) =>
        pullModel({
          preset,
          modelsDir: modelsDir(options.dir),
          ...(options.variant !== undefined ? { variant: options.variant } : {}),
          ...(options.hubUrl !== undefined ? { hubUrl: options.hubUrl } : {}),
          ...(options.unpinned ? { unpinned: true } : {}),
          signal,
          onProgress: (p) => progress.update(Math.round(p.bytes / 1e6), Math.max(1, Math.round(p.total / 1e6))),
        }),
      ).finally(() => progress.stop());
      if (options.json) {
        printJson(ctx.io, report);
        return;
      }
      const fetched = report.files.filter((f) => f.outcome !== 'present');
      printLines(
        ctx.io,
        `${report.preset} (${report.variant}) from ${report.repo} is in ${ctx.displayPath(report.dir)}: ` +
          `${report.files.length} files, ${formatBytes(report.totalBytes)}, ${fetched.length} fetched now, all verified` +
          (report.pinned ? ` against the pinned commit ${report.manifest.revision?.slice(0, 12)}.` : ' against the hub\'s listing (unpinned).'),
        `Use it: ${ctx.commandPrefix()} ingest <folder> --archive <name> --embedder ${report.preset}`,
      );
    });

  models
    .command('pin')
    .description('For maintainers: print the pin of a preset at a reviewed commit, to merge into core/models/preset-pins.json')
    .argument('<preset>', `one of ${MODEL_PRESETS.map((p) => p.name).join(', ')}`)
    .requiredOption('--revision <commit>', 'the commit id (40 hex characters) whose files were reviewed')
    .option('--variant <name>', "file variant (default: the preset's first)")
    .option('--hub-url <url>', 'model hub (or mirror) base URL')
    .action(async (preset: string, options: { revision: string; variant?: string; hubUrl?: string }) => {
      printJson(
        ctx.io,
        await pinPreset({
          preset,
          revision: options.revision,
          ...(options.variant !== undefined ? { variant: options.variant } : {}),
          ...(options.hubUrl !== undefined ? { hubUrl: options.hubUrl } : {}),
        }),
      );
    });

  models
    .command('list')
    .description('List the presets and the model folders installed')
    .option('--dir <dir>', 'models folder (env MIRAGE_MODELS_DIR, default ./models)')
    .option('--json', 'print as JSON')
    .action((options: { dir?: string; json?: boolean }) => {
      const installed = findInstalledModels(modelsDir(options.dir));
      if (options.json) printJson(ctx.io, { presets: MODEL_PRESETS, installed });
      else printLines(ctx.io, formatModelsTable(MODEL_PRESETS, installed));
    });
}
