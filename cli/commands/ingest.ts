import type { Command } from 'commander';
import { MAX_INGEST_BATCH_SIZE } from '../../core/ingest/ingest-images.js';
import { formatIngestReport } from '../../core/render/ingest-report.js';
import type { CliContext } from '../context.js';
import { withInterrupt } from '../interrupt.js';
import { integerIn } from '../integer-option.js';
import { printJson, printLines } from '../output.js';
import { progressBar } from '../progress-bar.js';

interface IngestOptions {
  readonly archive: string;
  readonly embedder?: string;
  readonly batchSize?: number;
  readonly json?: boolean;
}

export function registerIngest(program: Command, ctx: CliContext): void {
  program
    .command('ingest')
    .description('Add the images of a folder (recursively) or of a listing file (paths or URLs, one per line) to an archive')
    .argument('<source>', 'folder of images, or a text file listing image paths or http(s) URLs')
    .requiredOption('--archive <name>', 'archive to add to (created on first use)')
    .option('--embedder <id>', 'embedder that indexes a new archive: an installed model (clip-vit-b32, ...) or scenes')
    .option('--batch-size <n>', 'images per embedder call (default 16)', integerIn('--batch-size', 1, MAX_INGEST_BATCH_SIZE))
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Re-running adds only what is new (images are recognised by a hash of their bytes); an',
        'interrupted run keeps what it committed. Unusable files are skipped and listed with the reason.',
      ].join('\n'),
    )
    .action(async (source: string, options: IngestOptions) => {
      const engine = await ctx.engine();
      const progress = progressBar(ctx.io, `Ingesting into ${options.archive}`, 'images');
      const report = await withInterrupt((signal) =>
        engine.ingest(
          {
            archive: options.archive,
            source: ctx.resolvePath(source),
            ...(options.embedder !== undefined ? { embedder: options.embedder } : {}),
            ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
          },
          { signal, onProgress: (p) => progress.update(p.done, p.total) },
        ),
      ).finally(() => progress.stop());
      if (options.json) printJson(ctx.io, report);
      else
        printLines(
          ctx.io,
          formatIngestReport(report, (s) => (/^https?:\/\//.test(s) ? s : ctx.displayPath(s))),
          '',
          `Search it: ${ctx.commandPrefix()} search --archive ${report.archive} "describe the image"`,
        );
    });
}
