import type { Command } from 'commander';
import { formatArchivesTable } from '../../core/render/archives-table.js';
import type { CliContext } from '../context.js';
import { printJson, printLines } from '../output.js';

export function registerArchives(program: Command, ctx: CliContext): void {
  program
    .command('archives')
    .description('List the archives in the data directory')
    .option('--json', 'print the manifests as JSON')
    .action(async (options: { json?: boolean }) => {
      const archives = await (await ctx.engine()).listArchives();
      if (options.json) printJson(ctx.io, archives);
      else printLines(ctx.io, formatArchivesTable(archives));
    });
}
