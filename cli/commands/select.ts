import type { Command } from 'commander';
import { lastRound, resolveHitReference } from '../../core/turns/hit-references.js';
import type { CliContext } from '../context.js';
import { printJson, printLines } from '../output.js';

interface SelectOptions {
  readonly session: string;
  readonly result: string;
  readonly json?: boolean;
}

export function registerSelect(program: Command, ctx: CliContext): void {
  program
    .command('select')
    .description('Record that you found the image; the session ends')
    .requiredOption('--session <id>', 'the session')
    .requiredOption('--result <hit>', 'hit number of the last round (as printed) or an image id')
    .option('--json', 'print the session as JSON')
    .action(async (options: SelectOptions) => {
      const engine = await ctx.engine();
      const before = await engine.getSession(options.session);
      const imageId = resolveHitReference(before, options.result);
      const session = await engine.selectResult(before.id, imageId);
      if (options.json) {
        printJson(ctx.io, session);
        return;
      }
      const hit = lastRound(session)?.hits.find((h) => h.id === imageId);
      const where = hit ? ` (hit #${hit.rank + 1} of round ${session.rounds.length})` : '';
      const rounds = session.rounds.length;
      printLines(
        ctx.io,
        `Recorded: ${imageId}${where} is the image you were looking for.`,
        `Session ${session.id} is ${session.status} after ${rounds} round${rounds === 1 ? '' : 's'}.`,
      );
    });
}
