import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENES_EMBEDDER_ID } from '../../../core/scenes/scenes-bundle.js';
import { perceptionFromTruth } from '../../../core/eval/scripted/scene-perception.js';
import { ScriptedScenesSearcher } from '../../../core/eval/scripted/scripted-searcher.js';
import { readSceneTruth } from '../../../core/scenes/truth.js';
import { buildWorld } from '../../../core/scenes/world-builder.js';
import { loadConfig } from '../../../core/config/config.js';
import { createRuntime, type Runtime } from '../../../core/runtime/runtime.js';
import { composeObservers } from '../../../core/eval/artifacts/compose-observers.js';
import { DatasetExport, type DatasetRecord, type WrittenDataset } from '../../../core/eval/artifacts/dataset-export.js';
import { readPackageVersions } from '../../../core/eval/artifacts/package-versions.js';
import { ReportCapture } from '../../../core/eval/artifacts/report-capture.js';
import { writeReportHtml } from '../../../core/eval/artifacts/report-html.js';
import type { ReportIndex } from '../../../core/eval/artifacts/report-index.js';
import { writeResults, type EvalResults, type WrittenResults } from '../../../core/eval/artifacts/results.js';
import { evalConfigSchema } from '../../../core/eval/eval-config.js';
import { runEvaluation, type EvalOutcome } from '../../../core/eval/eval-runner.js';
import type { EpisodeObservation } from '../../../core/eval/episode-options.js';
import type { EpisodeRecord } from '../../../core/eval/episode-record.js';
import { RunFolder } from '../../../core/eval/run-folder.js';
import { sampleTargets } from '../../../core/eval/target-sampler.js';

const ARCHIVE = 'artifacts-world';
const config = evalConfigSchema.parse({
  archive: ARCHIVE,
  strategies: ['generative', 'prediction'],
  targets: 4,
  rounds: 3,
  concurrency: 2,
  seed: 11,
});
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let root: string;
let runtime: Runtime;
let folder: RunFolder;
let searcherId: string;
let targets: string[];
let interrupted: EvalOutcome;
let interruptedExport: WrittenDataset;
let interruptedRecords: DatasetRecord[];
let partialLines: number;
let resumed: EvalOutcome;
let resumedObservations: EpisodeObservation[];
let written: WrittenResults;
let index: ReportIndex;
let dataset: WrittenDataset;
let reportHtml: string;

/** Both hooks of one run, as the CLI wires them, plus a spy. */
function hooks(spy: (o: EpisodeObservation) => void) {
  const common = { engine: runtime.engine, archive: ARCHIVE, folder };
  const report = new ReportCapture({ ...common, targets });
  const exporter = new DatasetExport(common);
  const observe = composeObservers(report.observe, exporter.observe, async (o) => spy(o));
  return { report, exporter, observe };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mirage-artifacts-'));
  runtime = createRuntime(loadConfig({}, { dataDir: join(root, 'data') }), { ephemeralSessions: true });
  const { imageEmbedder } = await runtime.models.bundleFor(SCENES_EMBEDDER_ID);
  await buildWorld({ store: runtime.archives, embedder: imageEmbedder, name: ARCHIVE, size: 200, seed: 5 });
  const archive = await runtime.archives.open(ARCHIVE);
  const archiveIds = [...archive.records()].map((r) => r.id);
  const searcher = new ScriptedScenesSearcher(perceptionFromTruth(await readSceneTruth(archive)));
  searcherId = searcher.id;
  targets = sampleTargets(archiveIds, config.targets, config.seed);
  folder = new RunFolder(join(root, 'run'));
  const run = { engine: runtime.engine, searcher, config, archiveIds, folder };

  // First run: interrupted in the middle of an episode (generative, second target, after round 1).
  const controller = new AbortController();
  const first = hooks((o) => {
    if (o.strategy === 'generative' && o.target.id === targets[1] && o.round.index === 1) controller.abort();
  });
  interrupted = await runEvaluation({ ...run, signal: controller.signal, observe: first.observe });
  interruptedExport = await first.exporter.finish(interrupted.episodes);
  interruptedRecords = await readRecords(interruptedExport.records);
  partialLines = (await readFile(folder.path('dataset', 'episodes', 'generative', `${targets[1]}.jsonl`), 'utf8')).trim().split('\n').length;

  // Second run over the same folder, as `mirage eval` would resume it.
  resumedObservations = [];
  const second = hooks((o) => resumedObservations.push(o));
  resumed = await runEvaluation({ ...run, observe: second.observe });
  written = await writeResults(folder, { config, searcherId, targets: resumed.targets, episodes: resumed.episodes, versions: await readPackageVersions() });
  index = await second.report.finish();
  dataset = await second.exporter.finish(resumed.episodes);
  // Finishing twice (a user re-running the command on a complete run) must not add lines.
  dataset = await second.exporter.finish(resumed.episodes);
  const html = await writeReportHtml(folder, { config, searcherId, results: written, captured: index, dataset: dataset.records });
  reportHtml = await readFile(html, 'utf8');
}, 120_000);

afterAll(async () => {
  await runtime?.engine.close();
  await rm(root, { recursive: true, force: true });
});

const episodeOf = (strategy: string, target: string): EpisodeRecord => {
  const found = resumed.episodes.find((e) => e.strategy === strategy && e.targetId === target);
  if (!found) throw new Error(`no episode ${strategy}/${target}`);
  return found;
};

const exists = (path: string) => access(path).then(() => true, () => false);

async function isPng(path: string): Promise<boolean> {
  const head = (await readFile(path)).subarray(0, 8);
  return head.equals(PNG_SIGNATURE);
}

async function readRecords(path: string): Promise<DatasetRecord[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as DatasetRecord);
}

describe('the interrupted and resumed run', () => {
  it('was really interrupted mid-run and then completed without re-running finished episodes', () => {
    expect(interrupted.complete).toBe(false);
    expect(interrupted.episodes.some((e) => e.strategy === 'generative' && e.targetId === targets[1])).toBe(false);
    expect(resumed.complete).toBe(true);
    expect(resumed.episodes).toHaveLength(8);
    const rerun = new Set(resumedObservations.map((o) => `${o.strategy}/${o.target.id}`));
    expect(rerun.size).toBe(8 - interrupted.episodes.length);
    for (const e of interrupted.episodes) expect(rerun.has(`${e.strategy}/${e.targetId}`)).toBe(false);
  });
});

describe('writeResults', () => {
  let results: EvalResults;
  beforeAll(async () => {
    results = JSON.parse(await readFile(written.results, 'utf8')) as EvalResults;
  });

  it('records every episode with its per-round ranks and queries', () => {
    expect(results.episodes).toHaveLength(8);
    for (const e of results.episodes) {
      const episode = episodeOf(e.strategy, e.target);
      expect(e.ranks).toEqual(episode.rounds.map((r) => r.rank));
      expect(e.queries).toEqual(episode.rounds.map((r) => r.query));
      expect(e.shownRanks).toEqual(episode.rounds.map((r) => (r.hits.includes(e.target) ? r.hits.indexOf(e.target) : null)));
      expect(e.ranks).toHaveLength(config.rounds + 1);
    }
    expect(results.targets).toEqual(targets);
    expect(results.complete).toBe(true);
    expect(results.searcher).toBe(searcherId);
    expect(results.seed).toBe(config.seed);
    expect(results.config).toEqual(JSON.parse(JSON.stringify(config)));
  });

  it('records shown Hits@K, paired intervals and tests against generative, and the realism knobs', () => {
    expect(Object.keys(results.shownHits)).toEqual(['generative', 'prediction']);
    expect(results.shownHits.prediction?.map((h) => h.k)).toEqual(config.ks);
    expect(results.statistics?.baseline).toBe('generative');
    expect(results.statistics?.targets).toBe(4);
    expect(results.statistics?.comparisons.map((c) => `${c.strategy}@${c.k}`)).toEqual(['prediction@1', 'prediction@5', 'prediction@10']);
    for (const strategy of config.strategies) {
      const intervals = results.statistics?.intervals[strategy];
      expect(intervals?.atK.find((a) => a.k === 10)?.cumulativeHits).toHaveLength(config.rounds + 1);
      expect(intervals?.bri.lower).toBeLessThanOrEqual(results.metrics[strategy]?.bri ?? NaN);
      expect(intervals?.bri.upper).toBeGreaterThanOrEqual(results.metrics[strategy]?.bri ?? NaN);
    }
    // Written without the job: knobs unknown to writeResults are recorded as their defaults.
    expect(results.realism).toEqual({ perceptionNoise: null, captionNoise: 0, nearDuplicateRate: null });
  });

  it('computes the metrics over the episodes of each strategy', () => {
    for (const strategy of config.strategies) {
      const metrics = results.metrics[strategy];
      expect(metrics?.targets).toBe(4);
      expect(metrics?.rounds).toBe(config.rounds);
      // Cumulative Hits@10 at the last round, counted directly from the episodes.
      const found = targets.filter((t) => episodeOf(strategy, t).rounds.some((r) => r.rank < 10)).length;
      expect(metrics?.atK.find((m) => m.k === 10)?.cumulativeHits[config.rounds]).toBeCloseTo(found / 4, 10);
      expect(metrics?.atK.map((m) => m.k)).toEqual(config.ks);
    }
  });

  it('records the versions of node and of the packages from their package.json files', async () => {
    const version = async (path: string) => (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version;
    expect(results.versions.node).toBe(process.version);
    expect(results.versions.mirage).toBe(await version('package.json'));
    for (const name of ['sharp', 'usearch', 'onnxruntime-node'] as const) {
      expect(results.versions.packages[name]).toBe(await version(join('node_modules', name, 'package.json')));
    }
  });

  it('writes table.md with rounds 0..T and the Hits@10 chart as SVG and PNG', async () => {
    const table = await readFile(written.table, 'utf8');
    // First block: exact-rank Hits@10 with 95% intervals; second: exact / shown; third: paired tests.
    const [hitsBlock, shownBlock, pairedBlock] = table.split('\n\n');
    const rowsOf = (block = '') =>
      block.split('\n').flatMap((line) => {
        const m = /^\| (\d+) \|(.*)\|$/.exec(line);
        return m ? [{ round: Number(m[1]), cells: (m[2] ?? '').split('|').map((c) => c.trim()) }] : [];
      });
    const rows = rowsOf(hitsBlock);
    expect(rows.map((r) => r.round)).toEqual([0, 1, 2, 3]);
    expect(table.split('\n')[0]).toBe('| Round (cumulative Hits@10, %, 95% CI) | generative | prediction |');
    const generativeFound = targets.filter((t) => episodeOf('generative', t).rounds.some((r) => r.rank < 10)).length;
    expect(rows[3]?.cells[0]).toMatch(new RegExp(`^${((generativeFound / 4) * 100).toFixed(1)} \\[\\d+\\.\\d, \\d+\\.\\d\\]$`));
    // A 200-image world is searched exactly, so shown Hits@10 equals exact-rank Hits@10.
    expect(rowsOf(shownBlock)[3]?.cells[0]).toBe(`${((generativeFound / 4) * 100).toFixed(1)} / ${((generativeFound / 4) * 100).toFixed(1)}`);
    expect(pairedBlock).toContain('Paired comparison with generative at round 3');
    expect(written.k).toBe(10);
    expect(written.chartSvg.endsWith('hits-at-10.svg')).toBe(true);
    expect((await readFile(written.chartSvg, 'utf8')).startsWith('<svg')).toBe(true);
    const png = await sharp(written.chartPng).metadata();
    expect(png.format).toBe('png');
  });
});

describe('report capture and report.html', () => {
  it('captured the first three sampled targets, every strategy and round, across both runs', () => {
    expect(index.targets.map((t) => t.id)).toEqual(targets.slice(0, 3));
    for (const target of index.targets) {
      for (const strategy of config.strategies) {
        const rounds = target.strategies[strategy] ?? [];
        expect(rounds.map((r) => r.round)).toEqual([0, 1, 2, 3]);
        const episode = episodeOf(strategy, target.id);
        expect(rounds.map((r) => r.query)).toEqual(episode.rounds.map((r) => r.query));
        expect(rounds.map((r) => r.rank)).toEqual(episode.rounds.map((r) => r.rank));
        expect(rounds.map((r) => r.hits.map((h) => h.id))).toEqual(episode.rounds.map((r) => r.hits.slice(0, 10)));
      }
    }
  });

  it('saved the feedback each strategy showed: synthetic images for generative, the top-1 image for prediction', async () => {
    for (const target of index.targets) {
      for (const round of target.strategies.generative ?? []) {
        expect(round.feedback.kind).toBe('synthetic');
        if (round.feedback.kind === 'synthetic') {
          expect(round.feedback.images).toHaveLength(config.samples);
          for (const image of round.feedback.images) expect(await isPng(folder.path(image))).toBe(true);
        }
      }
      for (const round of target.strategies.prediction ?? []) {
        expect(round.feedback).toMatchObject({ kind: 'top1', imageId: episodeOf('prediction', target.id).rounds[round.round]?.hits[0] });
        if (round.feedback.kind === 'top1') expect(await isPng(folder.path(round.feedback.image))).toBe(true);
      }
    }
  });

  it('saved each round\'s top hits as a contact sheet of 10 thumbnails', async () => {
    const round = index.targets[0]?.strategies.generative?.[2];
    expect(round?.hitsSheet).toBeDefined();
    const meta = await sharp(folder.path(round?.hitsSheet ?? '')).metadata();
    expect(meta.format).toBe('png');
    // 2 rows of 5 cells of 96 px: wider than 5 thumbnails, taller than 2.
    expect(meta.width).toBeGreaterThan(5 * 96);
    expect(meta.height).toBeGreaterThan(2 * 96);
  });

  it('writes report/index.json holding the captured index', async () => {
    expect(JSON.parse(await readFile(folder.path('report', 'index.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(index)));
  });

  it('report.html links only files that exist, including every captured image', async () => {
    const links = [...reportHtml.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => decodeURIComponent((m[1] ?? '').replace(/&amp;/g, '&')));
    const captured = index.targets.flatMap((t) => [
      t.image,
      ...Object.values(t.strategies).flatMap((rounds) =>
        rounds.flatMap((r) => [
          ...(r.hitsSheet ? [r.hitsSheet] : []),
          ...(r.feedback.kind === 'synthetic' ? r.feedback.images : r.feedback.kind === 'top1' ? [r.feedback.image] : []),
        ]),
      ),
    ]);
    // 3 targets; per target 2 strategies x 4 rounds of sheets, 4 synthetic and 4 top-1 images.
    expect(captured).toHaveLength(3 + 3 * (8 + 4 + 4));
    for (const path of captured) expect(links).toContain(path);
    expect(links).toEqual(expect.arrayContaining(['results.json', 'table.md', 'hits-at-10.png', 'hits-at-10.svg', 'dataset/records.jsonl']));
    for (const link of links) {
      expect(link.startsWith('/') || link.includes('..') || /^[a-z]+:/i.test(link)).toBe(false);
      expect(await exists(resolve(folder.dir, link)), link).toBe(true);
    }
  });

  it('report.html tabulates cumulative Hits@10 as in table.md', async () => {
    const table = await readFile(written.table, 'utf8');
    const last = table.split('\n\n')[0]?.trim().split('\n').at(-1)?.split('|').map((c) => c.trim()).filter(Boolean) ?? [];
    const shown = (cell = '') => cell.replace(/ \[.*$/, '');
    expect(reportHtml).toContain(
      `<tr><td class="num">3</td><td class="num">${last[1]}</td><td class="num">${shown(last[1])}</td><td class="num">${last[2]}</td><td class="num">${shown(last[2])}</td></tr>`,
    );
  });
});

describe('dataset export', () => {
  let records: DatasetRecord[];
  beforeAll(async () => {
    records = await readRecords(dataset.records);
  });

  it('holds one line per generative (target, round) after the resumed run, none for prediction', () => {
    const keys = records.map((r) => `${r.strategy}/${r.target_id}/${r.round}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(records).toHaveLength(4 * (config.rounds + 1));
    expect(dataset.count).toBe(records.length);
    expect(new Set(records.map((r) => r.strategy))).toEqual(new Set(['generative']));
    expect(records.map((r) => r.target_id)).toEqual(targets.flatMap((t) => [t, t, t, t]));
    expect(records.map((r) => r.round)).toEqual(targets.flatMap(() => [0, 1, 2, 3]));
  });

  it('the interrupted run exported only its finished generative episodes, not the cut-off one', () => {
    // The cut-off episode had written rounds 0 and 1 before the interruption.
    expect(partialLines).toBe(2);
    const finished = interrupted.episodes.filter((e) => e.strategy === 'generative').map((e) => e.targetId);
    expect(interruptedExport.count).toBe(finished.length * (config.rounds + 1));
    expect(interruptedRecords).toHaveLength(interruptedExport.count);
    expect(new Set(interruptedRecords.map((r) => r.target_id))).toEqual(new Set(finished));
  });

  it('pairs each query with its synthetic image, the retrieved top-1 and the label top-1 == target', async () => {
    const base = dirname(dataset.records);
    for (const record of records) {
      const round = episodeOf(record.strategy, record.target_id).rounds[record.round];
      expect(record.query).toBe(round?.query);
      expect(record.retrieved_top1_id).toBe(round?.hits[0]);
      expect(record.label).toBe(record.retrieved_top1_id === record.target_id);
      expect(record.synthetic_images[0]).toBe(record.synthetic_image);
      for (const path of [record.synthetic_image, record.retrieved_top1_image, record.target_image]) {
        expect(path.startsWith('/') || path.includes('..')).toBe(false);
        expect(await isPng(join(base, path)), path).toBe(true);
      }
    }
  });

  it('copies archive images once and they match the archive', async () => {
    const base = dirname(dataset.records);
    const record = records[0] as DatasetRecord;
    const target = await sharp(join(base, record.target_image)).raw().toBuffer();
    const original = await runtime.engine.getImage({ kind: 'archive', archive: ARCHIVE, id: record.target_id });
    expect(target.equals(await sharp(original.bytes).raw().toBuffer())).toBe(true);
    const sameTarget = records.filter((r) => r.target_id === record.target_id).map((r) => r.target_image);
    expect(new Set(sameTarget).size).toBe(1);
  });
});
