/**
 * Generative round on a GPU: per round, one SD-Turbo image at 512 x 512 in one step, its CLIP
 * image embedding and a search of the archive index, with the real models on CUDA.
 *
 *   MIRAGE_MODELS_DIR=./models npm run bench -- gpu [--rounds 30] [--index-size 100000] [--quant i8]
 *
 * Needs a CLIP model and a diffusion model installed under the models folder ("mirage models
 * pull clip-vit-b32" and "mirage models pull sd-turbo") and onnxruntime-node's CUDA provider.
 * Without them it says what is missing and exits 0: a machine without a GPU has nothing to
 * measure here, which is not a failure. It never falls back to the CPU, whose figures would not
 * be what this benchmark reports; `--cpu` runs it there on purpose, to check the benchmark itself
 * with tiny models. Prints per-stage p50 / p95 as Markdown and writes
 * bench-results/gpu-<date>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClipBundle, createDiffusionGenerator } from '../core/adapters/onnx/onnx-bundles.js';
import { findInstalledModels, type InstalledModel } from '../core/models/installed-models.js';
import { PREFERRED_GENERATOR } from '../core/models/installed-bundles.js';
import type { Quantization, VectorIndex } from '../core/ports/vector-index.js';
import { deriveSeed } from '../core/random/seed.js';
import { createIndexFactory } from '../core/runtime/runtime.js';
import { ClusteredVectors, rowsOf } from './clustered-vectors.js';
import { percentile } from './stats.js';

interface GpuBenchOptions {
  readonly modelsDir: string;
  readonly clip?: string;
  readonly generator?: string;
  readonly rounds: number;
  readonly warmup: number;
  /** Image side; by default the model's fixed size, else 512 (SD-Turbo's). */
  readonly size?: number;
  /** Run on the CPU: for checking the benchmark itself with tiny models, not for figures. */
  readonly cpu: boolean;
  readonly indexSize: number;
  readonly quantization: Quantization;
  readonly k: number;
  readonly seed: number;
  readonly outDir: string;
}

const STAGES = ['generate', 'embed', 'search', 'round'] as const;
type Stage = (typeof STAGES)[number];

// Descriptions of the kind a searcher types; the round's cost does not depend on their content.
const PROMPTS = [
  'a red bicycle leaning against a blue door',
  'two dogs running on a beach at sunset',
  'a bowl of green apples on a wooden table',
  'a lighthouse on a rocky coast under storm clouds',
  'a child flying a yellow kite in a park',
];

const log = (message: string) => process.stderr.write(`[gpu-bench] ${message}\n`);

/** Why the benchmark cannot run here, or undefined when the models are in place. */
function pickModels(options: GpuBenchOptions): { clip: InstalledModel; generator: InstalledModel } | string {
  const installed = findInstalledModels(options.modelsDir);
  const pick = (kind: InstalledModel['kind'], wanted: string | undefined, preferred?: string) => {
    const ofKind = installed.filter((m) => m.kind === kind);
    if (wanted !== undefined) return ofKind.find((m) => m.id === wanted);
    return ofKind.find((m) => m.id === preferred) ?? ofKind[0];
  };
  const clip = pick('clip', options.clip);
  const generator = pick('diffusion', options.generator, PREFERRED_GENERATOR);
  const missing = [
    clip === undefined ? `a CLIP model${options.clip ? ` "${options.clip}"` : ''} (mirage models pull clip-vit-b32)` : undefined,
    generator === undefined ? `a diffusion model${options.generator ? ` "${options.generator}"` : ''} (mirage models pull sd-turbo)` : undefined,
  ].filter((m) => m !== undefined);
  if (clip === undefined || generator === undefined) return `missing ${missing.join(' and ')} in ${options.modelsDir}`;
  return { clip, generator };
}

/** Thrown by a model load that would fall back to the CPU; ends the benchmark with its reason. */
class NoCuda extends Error {}

const failOnCpuFallback = (message: string): never => {
  throw new NoCuda(message);
};

function buildIndex(options: GpuBenchOptions, dim: number): VectorIndex {
  const index = createIndexFactory().create(dim, options.quantization);
  const clusters = new ClusteredVectors(dim, 1000, options.seed);
  const chunk = 50_000;
  for (let first = 0; first < options.indexSize; first += chunk) {
    const count = Math.min(chunk, options.indexSize - first);
    const rows = rowsOf(clusters.sample(count, deriveSeed(options.seed, 'gpu-index', first)), dim);
    index.add(
      rows.map((_, i) => `v${first + i}`),
      rows,
    );
  }
  return index;
}

interface Measured {
  readonly timings: Record<Stage, number[]>;
  /** The generated image's size, e.g. "512x512". */
  readonly imageSize: string;
}

async function measure(options: GpuBenchOptions, clipModel: InstalledModel, generatorModel: InstalledModel): Promise<Measured> {
  const device = options.cpu ? ({ executionProvider: 'cpu' } as const) : ({ executionProvider: 'cuda', onWarning: failOnCpuFallback } as const);
  log(`loading ${clipModel.id} on ${device.executionProvider}`);
  const { vision, text } = clipModel.roles;
  const clip = await createClipBundle(clipModel.dir, {
    embedderId: clipModel.id,
    ...device,
    ...(vision !== undefined && text !== undefined ? { files: { vision, text } } : {}),
  });
  log(`loading ${generatorModel.id} on ${device.executionProvider}`);
  const generator = await createDiffusionGenerator(generatorModel.dir, {
    id: generatorModel.id,
    ...device,
    steps: 1,
    ...(options.size !== undefined ? { size: options.size } : {}),
  });
  log(`building a ${options.indexSize}-vector ${options.quantization} index of ${clip.imageEmbedder.dim}-d vectors`);
  const index = buildIndex(options, clip.imageEmbedder.dim);
  const timings = Object.fromEntries(STAGES.map((s) => [s, [] as number[]])) as Record<Stage, number[]>;
  const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    const text = PROMPTS[round % PROMPTS.length] as string;
    const started = process.hrtime.bigint();
    const [generated] = await generator.generate({ text, seed: deriveSeed(options.seed, 'gpu-round', round), n: 1 });
    const afterGenerate = process.hrtime.bigint();
    if (generated === undefined) throw new Error(`${generatorModel.id} returned no image`);
    const [vector] = await clip.imageEmbedder.embedImages([generated.image]);
    const afterEmbed = process.hrtime.bigint();
    if (vector === undefined) throw new Error(`${clipModel.id} returned no embedding`);
    index.search(vector, options.k);
    if (round < options.warmup) continue;
    timings.generate.push(Number(afterGenerate - started) / 1e6);
    timings.embed.push(Number(afterEmbed - afterGenerate) / 1e6);
    timings.search.push(since(afterEmbed));
    timings.round.push(since(started));
  }
  return { timings, imageSize: `${generator.width}x${generator.height}` };
}

function markdownReport(options: GpuBenchOptions, models: string, { timings, imageSize }: Measured): string {
  const where = options.cpu ? ' ON THE CPU (a check of the benchmark, not GPU figures)' : ' on CUDA';
  const lines = [
    `GPU round benchmark${where}: ${models}; one step at ${imageSize}, CLIP image embedding, top-${options.k} search of ${options.indexSize} ` +
      `${options.quantization} vectors; ${options.rounds} rounds after ${options.warmup} warm-up; ${cpus()[0]?.model ?? 'unknown CPU'} x${availableParallelism()}.`,
    '',
    '| stage | p50 ms | p95 ms |',
    '|---|---:|---:|',
    ...STAGES.map((s) => `| ${s === 'round' ? 'round (end to end)' : s} | ${percentile(timings[s], 50).toFixed(1)} | ${percentile(timings[s], 95).toFixed(1)} |`),
  ];
  return lines.join('\n');
}

function parseGpuBenchArgs(argv: readonly string[]): GpuBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'models-dir': { type: 'string', default: process.env.MIRAGE_MODELS_DIR ?? './models' },
      clip: { type: 'string' },
      generator: { type: 'string' },
      rounds: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '3' },
      size: { type: 'string' },
      cpu: { type: 'boolean', default: false },
      'index-size': { type: 'string', default: '100000' },
      quant: { type: 'string', default: 'i8' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  const quantization = values.quant as Quantization;
  if (!['f32', 'f16', 'i8'].includes(quantization)) throw new Error(`unknown quantization ${values.quant}`);
  const options: GpuBenchOptions = {
    modelsDir: values['models-dir'],
    ...(values.clip !== undefined ? { clip: values.clip } : {}),
    ...(values.generator !== undefined ? { generator: values.generator } : {}),
    rounds: Number(values.rounds),
    warmup: Number(values.warmup),
    ...(values.size !== undefined ? { size: Number(values.size) } : {}),
    cpu: values.cpu,
    indexSize: Number(values['index-size']),
    quantization,
    k: 10,
    seed: Number(values.seed),
    outDir: values.out,
  };
  if ([options.rounds, options.size ?? 512, options.indexSize].some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(options.warmup) || options.warmup < 0) {
    throw new Error('rounds, size and index-size must be positive integers, warmup a non-negative one');
  }
  return options;
}

export async function main(argv: readonly string[]): Promise<void> {
  const options = parseGpuBenchArgs(argv);
  const models = pickModels(options);
  if (typeof models === 'string') {
    process.stdout.write(`GPU benchmark skipped: ${models}.\n`);
    return;
  }
  let measured: Measured;
  try {
    measured = await measure(options, models.clip, models.generator);
  } catch (e) {
    if (!(e instanceof NoCuda)) throw e;
    process.stdout.write(`GPU benchmark skipped: CUDA cannot be used here (${e.message}).\n`);
    return;
  }
  const described = `${models.generator.id} + ${models.clip.id}`;
  process.stdout.write(`${markdownReport(options, described, measured)}\n`);
  const { timings } = measured;
  mkdirSync(options.outDir, { recursive: true });
  const path = join(options.outDir, `gpu-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const summary = Object.fromEntries(STAGES.map((s) => [s, { p50Ms: percentile(timings[s], 50), p95Ms: percentile(timings[s], 95) }]));
  const machine = { cpu: cpus()[0]?.model, cores: availableParallelism(), node: process.version };
  writeFileSync(path, JSON.stringify({ date: new Date().toISOString(), machine, options, models: described, imageSize: measured.imageSize, summary, timings }, null, 2));
  log(`wrote ${path}`);
}
