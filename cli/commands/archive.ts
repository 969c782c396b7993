import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import { removeImages } from '../../core/ingest/remove-images.js';
import type { CliContext } from '../context.js';
import { printJson, printLines } from '../output.js';

export function registerArchive(program: Command, ctx: CliContext): void {
  const archive = program.command('archive').description('Change one archive: remove images, or delete it');
  archive
    .command('rm')
    .description('Remove images from an archive (index and stored files)')
    .requiredOption('--archive <name>', 'archive to remove from')
    .argument('<ids...>', 'image ids (as shown by "mirage search")')
    .option('--json', 'print the archive manifest as JSON')
    .action(async (ids: string[], options: { archive: string; json?: boolean }) => {
      const { archives } = await ctx.runtime();
      const manifest = await removeImages(archives, options.archive, ids);
      if (options.json) printJson(ctx.io, manifest);
      else printLines(ctx.io, `Removed ${new Set(ids).size} image(s) from archive "${manifest.name}"; it now holds ${manifest.count}.`);
    });
  archive
    .command('delete')
    .description('Delete a whole archive: index, images and metadata')
    .argument('<name>', 'archive to delete')
    .option('--yes', 'confirm the deletion (required)')
    .action(async (name: string, options: { yes?: boolean }) => {
      if (!options.yes) throw invalidInput(`Deleting archive "${name}" cannot be undone; repeat with --yes to confirm.`);
      const { archives } = await ctx.runtime();
      await archives.delete(name);
      printLines(ctx.io, `Deleted archive "${name}".`);
    });
}
