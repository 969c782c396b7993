import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { validate } from '../../core/validate.js';
import { ARM_NAMES_HELP, armsOf, evalConfigSchema, type EvalConfigInput } from '../../core/eval/eval-config.js';
import { evaluationTowers } from '../../core/runtime/evaluation-towers.js';
import { runEvaluationJob, type EvaluationJobResult } from '../../core/eval/evaluation-job.js';
import { assertNoPrompts, createSearcher, SEARCHER_KINDS, type SearcherSpec } from '../../core/eval/searcher-factory.js';
import { loadVlmConfig } from '../../core/eval/vlm/vlm-config.js';
import { createMcpAgentSearcher } from '../../mcp-server/mcp-agent.js';
import { defaultThreads } from '../../core/concurrency/worker-module.js';
import { createEpisodeThreads } from '../../core/runtime/episode-threads.js';
import type { CliContext } from '../context.js';
import { withInterrupt } from '../interrupt.js';
import { integerIn } from '../integer-option.js';
import { printJson, printLines } from '../output.js';
import { progressBar } from '../progress-bar.js';

export interface EvalCommandInput {
  readonly config: EvalConfigInput;
  /** mcp-agent: an LLM (MIRAGE_VLM_*) plays the searcher through the MCP tools; built here, as core cannot reach mcp-server. */
  readonly searcher: SearcherSpec | { readonly kind: 'mcp-agent'; readonly prompts?: string };
  readonly out: string;
  readonly exportDataset: boolean;
  readonly json?: boolean;
  /** A realism sensitivity table (Markdown file, from `npm run bench -- sensitivity`) to include in report.html. */
  readonly sensitivityTable?: string;
  /** Worker threads playing episodes (1: this thread); the mcp-agent searcher always plays in this thread. */
  readonly threads: number;
}

interface EvalFlags {
  readonly archive: string;
  readonly strategies?: string;
  readonly searcher: (typeof EVAL_SEARCHERS)[number];
  readonly targets: number;
  readonly rounds: number;
  readonly k: string;
  readonly samples: number;
  readonly concurrency: number;
  readonly threads: number;
  readonly seed: number;
  readonly out?: string;
  readonly detail: 'sparse' | 'moderate' | 'full';
  readonly forget: string;
  readonly misremember: string;
  readonly misperceive: string;
  readonly prompts?: string;
  readonly exportDataset?: boolean;
  readonly json?: boolean;
  readonly sensitivityTable?: string;
}

const EVAL_SEARCHERS = [...SEARCHER_KINDS, 'mcp-agent'] as const;

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

/** Shared by `mirage eval` and `mirage demo`: runs the job and prints table and paths. */
export async function runEvalCommand(ctx: CliContext, input: EvalCommandInput): Promise<EvaluationJobResult> {
  const config = validate(evalConfigSchema, input.config, 'evaluation settings');
  const runtime = await ctx.runtime({ ephemeralSessions: true });
  const { engine, archives } = runtime;
  const archive = await archives.open(config.archive);
  const { oracleEngine, textTowers } = await evaluationTowers(runtime, archive.manifest.embedder, armsOf(config));
  if (input.searcher.kind === 'mcp-agent') assertNoPrompts('mcp-agent', input.searcher.prompts);
  const searcher =
    input.searcher.kind === 'mcp-agent' ? createMcpAgentSearcher(loadVlmConfig(process.env)) : await createSearcher(input.searcher, archive);
  const outDir = ctx.resolvePath(input.out);
  const sensitivity = input.sensitivityTable ? await readFile(ctx.resolvePath(input.sensitivityTable), 'utf8') : undefined;
  const progress = progressBar(ctx.io, `Evaluating ${config.strategies.length} strategies`, 'episodes');
  // The mcp-agent searcher holds an MCP client in this thread; scripted and VLM searchers are
  // plain settings that every worker thread rebuilds.
  const player =
    input.searcher.kind === 'mcp-agent'
      ? undefined
      : createEpisodeThreads({ config: ctx.config(), searcher: input.searcher, archive: config.archive, threads: input.threads, perThread: config.concurrency });
  const started = performance.now();
  const result = await withInterrupt((signal) =>
    runEvaluationJob({
      engine,
      ...(oracleEngine ? { oracleEngine } : {}),
      textTowers,
      archives,
      searcher,
      config,
      outDir,
      exportDataset: input.exportDataset,
      ...(sensitivity ? { sensitivity } : {}),
      signal,
      onProgress: (p) => progress.update(p.done, p.total),
      ...(player ? { player } : {}),
    }),
  ).finally(async () => {
    progress.stop();
    await player?.close();
  });
  const seconds = (performance.now() - started) / 1000;
  if (input.json) {
    printJson(ctx.io, { ...result, seconds });
    return result;
  }
  const table = await readFile(result.written.table, 'utf8');
  printLines(
    ctx.io,
    table.trimEnd(),
    '',
    `${result.complete ? 'Finished' : 'Interrupted; re-run the same command to resume'}: ${result.episodes} episodes in ${seconds.toFixed(1)} s (searcher ${searcher.id}).`,
    `Results: ${ctx.displayPath(result.written.results)}`,
    `Chart:   ${ctx.displayPath(result.written.chartPng)} (and .svg)`,
    `Report:  ${ctx.displayPath(result.report)}`,
    result.dataset ? `Dataset: ${ctx.displayPath(result.dataset)}` : undefined,
  );
  return result;
}

export function registerEval(program: Command, ctx: CliContext): void {
  program
    .command('eval')
    .description('Agent-vs-agent evaluation: a simulated searcher looks for sampled targets; Hits@K per round')
    .requiredOption('--archive <name>', 'archive to search')
    .option('--strategies <list>', `comma-separated arms: ${ARM_NAMES_HELP} (default: the five strategies)`)
    .addOption(new Option('--searcher <kind>', 'simulated searcher').choices(EVAL_SEARCHERS).default('scripted'))
    .option('--targets <n>', 'targets, sampled with the seed', integerIn('--targets', 1, 100_000), 200)
    .option('--rounds <n>', 'rounds after the initial round 0', integerIn('--rounds', 0, 50), 10)
    .option('--k <list>', 'K values for Hits@K', '1,5,10')
    .option('--samples <n>', 'synthetic images per round', integerIn('--samples', 1, 8), 1)
    .option('--concurrency <n>', 'episodes in flight (per thread)', integerIn('--concurrency', 1, 64), 2)
    .option('--threads <n>', 'worker threads playing episodes (one per core unless set); 1 = this thread', integerIn('--threads', 1, 64), defaultThreads())
    .option('--seed <n>', 'seed for targets, searcher memory and sessions', integerIn('--seed', 0, 0xffffffff), 1)
    .option('--out <dir>', 'run folder; an existing one with the same settings is resumed (default runs/<archive>-seed<seed>)')
    .addOption(new Option('--detail <level>', 'scripted searcher: detail of the first description').choices(['sparse', 'moderate', 'full']).default('sparse'))
    .option('--forget <p>', 'scripted searcher: probability of forgetting an attribute', '0.1')
    .option('--misremember <p>', 'scripted searcher: probability of misremembering an attribute', '0.05')
    .option('--misperceive <p>', 'scripted searcher: probability of misperceiving each attribute of a picture it is shown (realism diagnostic)', '0')
    .option('--prompts <set>', 'vlm searcher: prompt set, v1 (default) or genir-ref (the published GenIR simulator)')
    .option('--export-dataset', 'write the (query, synthetic image, top-1, label) dataset')
    .option('--sensitivity-table <file>', 'include a realism sensitivity table (Markdown, from `npm run bench -- sensitivity`) in report.html')
    .option('--json', 'print the outcome as JSON')
    .action(async (flags: EvalFlags) => {
      await runEvalCommand(ctx, {
        config: {
          archive: flags.archive,
          ...(flags.strategies ? { strategies: list(flags.strategies) as EvalConfigInput['strategies'] } : {}),
          searcher: flags.searcher,
          targets: flags.targets,
          rounds: flags.rounds,
          ks: list(flags.k).map(Number),
          samples: flags.samples,
          concurrency: flags.concurrency,
          seed: flags.seed,
        },
        searcher:
          flags.searcher === 'mcp-agent'
            ? { kind: 'mcp-agent', ...(flags.prompts ? { prompts: flags.prompts } : {}) }
            : {
                kind: flags.searcher,
                detail: flags.detail,
                pForget: Number(flags.forget),
                pMisremember: Number(flags.misremember),
                pMisperceive: Number(flags.misperceive),
                ...(flags.prompts ? { prompts: flags.prompts } : {}),
              },
        out: flags.out ?? path.join('runs', `${flags.archive}-seed${flags.seed}`),
        exportDataset: flags.exportDataset === true,
        ...(flags.json ? { json: true } : {}),
        ...(flags.sensitivityTable ? { sensitivityTable: flags.sensitivityTable } : {}),
        threads: flags.threads,
      });
    });
}
