import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { LIMITS } from '../../core/session/requests.js';
import { describeFeedback } from '../../core/render/feedback-text.js';
import { formatHitsTable } from '../../core/render/hits-table.js';
import { renderRoundSheet } from '../../core/turns/round-sheet.js';
import { syntheticPngs } from '../../core/turns/synthetic-images.js';
import { parseHitReferences } from '../../core/turns/hit-references.js';
import { runSearchTurn, type SearchTurn } from '../../core/turns/search-turn.js';
import { STRATEGY_NAMES, type Round, type StrategyName } from '../../core/session/session.js';
import type { CliContext } from '../context.js';
import { integerIn } from '../integer-option.js';
import { printJson, printLines } from '../output.js';
import { progressBar } from '../progress-bar.js';

interface SearchOptions {
  readonly archive?: string;
  readonly strategy?: StrategyName;
  readonly k?: number;
  readonly samples?: number;
  readonly seed?: number;
  readonly session?: string;
  readonly closerTo?: string;
  readonly not?: string;
  readonly out?: string;
  readonly json?: boolean;
}

interface WrittenFiles {
  readonly dir: string;
  readonly contactSheet?: string;
  readonly synthetic: readonly string[];
}

export function registerSearch(program: Command, ctx: CliContext): void {
  program
    .command('search')
    .description('Describe the image you remember; run one round of the search')
    .argument('<description...>', 'what the image shows (quote it, or give it as several words)')
    .option('--archive <name>', 'archive to search (to start a session)')
    .addOption(new Option('--strategy <name>', 'feedback strategy (default: generative)').choices(STRATEGY_NAMES))
    .option('--k <n>', 'hits per round (default: 10)', integerIn('--k', 1, LIMITS.maxK))
    .option('--samples <n>', 'synthetic images per round (default: 1)', integerIn('--samples', 1, LIMITS.maxSamples))
    .option('--seed <n>', 'session seed, for reproducible rounds', integerIn('--seed', 0, 0xffffffff))
    .option('--session <id>', 'continue this session (its archive and strategy are kept)')
    .option('--closer-to <hits>', 'hit numbers of the previous round closer to the image, e.g. 3,5')
    .option('--not <hits>', 'hit numbers of the previous round that are wrong, e.g. 1,2')
    .option('--out <dir>', 'folder for the images (default: ./out/<session-id>/round-<n>)')
    .option('--json', 'print the session, the round and the written files as JSON')
    .action(async (words: string[], options: SearchOptions) => {
      const engine = await ctx.engine();
      const progress = progressBar(ctx.io, 'Generating', 'steps');
      const turn = await runSearchTurn(
        engine,
        {
          query: words.join(' '),
          ...(options.session !== undefined ? { sessionId: options.session } : {}),
          settings: {
            archive: options.archive,
            strategy: options.strategy,
            k: options.k,
            samples: options.samples,
            seed: options.seed,
          },
          closerTo: options.closerTo === undefined ? [] : parseHitReferences(options.closerTo, '--closer-to list'),
          notThese: options.not === undefined ? [] : parseHitReferences(options.not, '--not list'),
        },
        {
          onProgress: (p) => {
            if (p.stage === 'generate' && p.step !== undefined && p.total !== undefined) progress.update(p.step, p.total);
          },
        },
      ).finally(() => progress.stop());
      const files = await writeRoundFiles(ctx, turn, options.out);
      if (options.json) printJson(ctx.io, { session: summary(turn), round: roundForJson(turn.round), files });
      else printTurn(ctx, turn, files);
    });
}

async function writeRoundFiles(ctx: CliContext, { session, round }: SearchTurn, out: string | undefined): Promise<WrittenFiles> {
  const engine = await ctx.engine();
  const dir = ctx.resolvePath(out ?? path.join('out', session.id, `round-${round.index + 1}`));
  await mkdir(dir, { recursive: true });
  const synthetic = await Promise.all(
    (await syntheticPngs(engine, round)).map(async (image, i) => {
      const file = path.join(dir, `synthetic-${i + 1}.png`);
      await writeFile(file, image.bytes);
      return file;
    }),
  );
  const sheet = await renderRoundSheet(engine, session, round);
  if (!sheet) return { dir, synthetic };
  const contactSheet = path.join(dir, 'contact-sheet.png');
  await writeFile(contactSheet, sheet.bytes);
  return { dir, contactSheet, synthetic };
}

/** The query vector is kept for evaluators; in a person's terminal it is kilobytes of base64. */
function roundForJson({ queryVector: _vector, ...round }: Round) {
  return round;
}

function summary({ session }: SearchTurn) {
  const { id, archive, strategy, k, samples, seed, status } = session;
  return { id, archive, strategy, k, samples, seed, status, rounds: session.rounds.length };
}

function printTurn(ctx: CliContext, { session, round }: SearchTurn, files: WrittenFiles): void {
  const show = (p: string) => ctx.displayPath(p);
  const mirage = ctx.commandPrefix();
  printLines(
    ctx.io,
    `Session ${session.id} | archive ${session.archive} | strategy ${session.strategy} | round ${round.index + 1}`,
    describeFeedback(round.feedback, files.synthetic.length > 0 ? files.synthetic.map(show) : undefined),
    files.contactSheet ? `Contact sheet: ${show(files.contactSheet)}` : undefined,
    '',
    formatHitsTable(round.hits),
    '',
    `Refine:   ${mirage} search --session ${session.id} "refined description" [--closer-to 3,5] [--not 1,2]`,
    `Found it: ${mirage} select --session ${session.id} --result <hit number>`,
  );
}
