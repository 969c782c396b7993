import { relative, sep } from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { metricsAtK, type StrategyMetrics } from '../../metrics/strategy-metrics.js';
import { escapeXml as escape } from '../../render/xml.js';
import type { EvalConfig } from '../eval-config.js';
import type { RunFolder } from '../run-folder.js';
import type { SearcherProfile } from '../searcher.js';
import type { CapturedFeedback, CapturedRound, ReportIndex, ReportTarget } from './report-index.js';
import type { WrittenResults } from './results.js';
import type { RealismKnobs } from '../realism.js';
import { withInterval } from './hits-table-markdown.js';
import { INCOMPLETE_NOTE, pairedTestsTable } from './statistics-markdown.js';

export interface ReportHtmlInput {
  readonly config: EvalConfig;
  readonly searcherId: string;
  /** Searcher settings join the settings table; its known deviations get a section of their own. */
  readonly searcherProfile?: SearcherProfile;
  /** What writeResults wrote: its files are linked, its metrics tabulated. */
  readonly results: WrittenResults;
  readonly captured: ReportIndex;
  /** records.jsonl of the dataset export, when the run wrote one. */
  readonly dataset?: string;
  /** A realism sensitivity table (Markdown, from `npm run bench -- sensitivity`) to show as it is. */
  readonly sensitivity?: string;
}

/**
 * Writes report.html into the run folder: one page with the run's settings, the Hits@K chart
 * and tables, and for each captured target a grid of rounds x strategies showing the query, the
 * feedback and the top hits. Images are linked relatively, so the folder can be moved or zipped.
 */
export async function writeReportHtml(folder: RunFolder, input: ReportHtmlInput): Promise<string> {
  const path = folder.path('report.html');
  await writeFileAtomic(path, renderReportHtml(folder, input));
  return path;
}

/**
 * The page's HTML. Every piece of text is escaped: queries come from searchers (LLMs included),
 * ids from archives, and either may hold markup.
 */
export function renderReportHtml(folder: RunFolder, input: ReportHtmlInput): string {
  const { config, results } = input;
  const link = (absolute: string) => url(relative(folder.dir, absolute).split(sep).join('/'));
  const files = [
    ['results.json', results.results],
    ['table.md', results.table],
    ['chart (SVG)', results.chartSvg],
    ...(input.dataset ? [['dataset (JSONL)', input.dataset] as const] : []),
  ] as const;
  const strategies = Object.keys(results.metricsByStrategy);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mirage evaluation: ${escape(config.archive)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Mirage evaluation: ${escape(config.archive)}</h1>
${settingsTable(config, input.searcherId, input.searcherProfile, results.realism)}
${deviationsSection(input.searcherProfile)}<p class="files">${files.map(([label, path]) => `<a href="${link(path)}">${escape(label)}</a>`).join(' · ')}</p>
<h2>Cumulative Hits@${results.k} by round</h2>
<img class="chart" src="${link(results.chartPng)}" alt="Line chart of cumulative Hits@${results.k} by round for each strategy">
${hitsTable(results, results.k)}
<h2>Paired comparison</h2>
${pairedSection(results)}
<h2>Summary at the last round</h2>
${summaryTable(results.metricsByStrategy, config.ks)}
${input.sensitivity ? `<h2>Realism sensitivity</h2>\n<pre class="sensitivity">${escape(input.sensitivity)}</pre>` : ''}
<h2>Example searches</h2>
${input.captured.targets.length === 0 ? '<p>No targets were captured for this report.</p>' : input.captured.targets.map((t) => targetSection(t, strategies, results.k)).join('\n')}
</body>
</html>
`;
}

const STYLE = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
img.chart { max-width: 100%; }
img.target { width: 192px; }
img.feedback { width: 128px; margin: 2px; }
img.hits { max-width: 300px; display: block; margin-top: 4px; }
.query { font-style: italic; max-width: 300px; }
.found { color: #1a7f37; font-weight: bold; }
.question { max-width: 300px; }
.verdict { font-weight: bold; }
pre.sensitivity { background: #f6f8fa; padding: 0.6rem; overflow-x: auto; }
`;

function settingsTable(config: EvalConfig, searcherId: string, profile: SearcherProfile | undefined, realism: RealismKnobs): string {
  const searcherRows = Object.entries(profile?.settings ?? {}).map(([key, value]): [string, string] => [`Searcher ${key}`, String(value)]);
  const rows: [string, string][] = [
    ['Archive', config.archive],
    ['Searcher', searcherId],
    ...searcherRows,
    ['Strategies', config.strategies.join(', ')],
    ['Targets', String(config.targets)],
    ['Rounds after round 0', String(config.rounds)],
    ['K', config.ks.join(', ')],
    ['Synthetic samples per round', String(config.samples)],
    ['Seed', String(config.seed)],
    ['Perception noise (scripted searcher)', realism.perceptionNoise === null ? 'n/a' : String(realism.perceptionNoise)],
    ['Caption noise (verbal)', String(realism.captionNoise)],
    ['Near-duplicate rate (world)', realism.nearDuplicateRate === null ? 'n/a' : String(realism.nearDuplicateRate)],
  ];
  return `<table class="settings">${rows.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('')}</table>`;
}

/** Known deviations of a searcher that reproduces a published protocol; nothing for one that does not. */
function deviationsSection(profile: SearcherProfile | undefined): string {
  const deviations = profile?.deviations ?? [];
  if (deviations.length === 0) return '';
  return `<h2>Searcher: known deviations from the reference</h2>
<ul class="deviations">${deviations.map((d) => `<li>${escape(d)}</li>`).join('')}</ul>
`;
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}`;

/** Cumulative Hits@K per round: exact rank with its 95% interval, and on the hits shown. */
function hitsTable(results: WrittenResults, k: number): string {
  const entries = Object.entries(results.metricsByStrategy);
  const rounds = Math.max(...entries.map(([, m]) => m.rounds));
  const header = `<tr><th>Round</th>${entries.map(([s]) => `<th>${escape(s)}: exact rank [95% CI]</th><th>${escape(s)}: shown</th>`).join('')}</tr>`;
  const rows = Array.from({ length: rounds + 1 }, (_, t) => {
    const cells = entries.map(([s, m]) => {
      const hits = metricsAtK(m, k).cumulativeHits[t];
      const interval = results.statistics?.intervals[s]?.atK.find((a) => a.k === k)?.cumulativeHits[t];
      const shown = results.shownHits[s]?.find((h) => h.k === k)?.cumulativeHits[t];
      return `<td class="num">${hits === undefined ? '' : escape(withInterval(hits, interval))}</td><td class="num">${shown === undefined ? '' : percent(shown)}</td>`;
    });
    return `<tr><td class="num">${t}</td>${cells.join('')}</tr>`;
  });
  return `<table class="hits"><caption>Cumulative Hits@${k} (%): by exact rank over the whole archive, and among the hits actually shown</caption>${header}${rows.join('')}</table>`;
}

function pairedSection(results: WrittenResults): string {
  if (!results.statistics) return `<p>${escape(INCOMPLETE_NOTE)}</p>`;
  const { title, header, rows, sentence } = pairedTestsTable(results.statistics, results.metricsByStrategy, results.k);
  const head = `<tr>${header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr>`;
  const body = rows.map(
    (r) => `<tr><th>${escape(r[0] ?? '')}</th>${r.slice(1, -1).map((c) => `<td class="num">${escape(c)}</td>`).join('')}<td class="verdict">${escape(r[r.length - 1] ?? '')}</td></tr>`,
  );
  return `<p>${escape(title)}</p>
<table class="paired">${head}${body.join('')}</table>
<p class="noise">${escape(sentence)}</p>`;
}

function summaryTable(metrics: Readonly<Record<string, StrategyMetrics>>, ks: readonly number[]): string {
  const header = `<tr><th>Strategy</th><th>Targets</th>${ks.map((k) => `<th>Hits@${k} (%)</th>`).join('')}<th>BRI (lower is better)</th><th>Mean rank</th><th>Median rank</th></tr>`;
  const rows = Object.entries(metrics).map(([strategy, m]) => {
    const last = m.rounds;
    const hits = ks.map((k) => `<td class="num">${percent(metricsAtK(m, k).cumulativeHits[last] ?? 0)}</td>`).join('');
    const mean = m.meanRank[last] ?? 0;
    const median = m.medianRank[last] ?? 0;
    return `<tr><th>${escape(strategy)}</th><td class="num">${m.targets}</td>${hits}<td class="num">${m.bri.toFixed(3)}</td><td class="num">${mean.toFixed(1)}</td><td class="num">${median.toFixed(1)}</td></tr>`;
  });
  return `<table class="summary">${header}${rows.join('')}</table>`;
}

function targetSection(target: ReportTarget, strategies: readonly string[], k: number): string {
  const shown = [...strategies, ...Object.keys(target.strategies).filter((s) => !strategies.includes(s))];
  const rounds = [...new Set(Object.values(target.strategies).flatMap((rs) => rs.map((r) => r.round)))].sort((a, b) => a - b);
  const header = `<tr><th>Round</th>${shown.map((s) => `<th>${escape(s)}</th>`).join('')}</tr>`;
  const rows = rounds.map((t) => {
    const cells = shown.map((s) => {
      const round = target.strategies[s]?.find((r) => r.round === t);
      return `<td>${round ? roundCell(round, k) : ''}</td>`;
    });
    return `<tr><th>${t}</th>${cells.join('')}</tr>`;
  });
  return `<section class="target">
<h3>Target <code>${escape(target.id)}</code></h3>
<img class="target" src="${url(target.image)}" alt="Target image ${escape(target.id)}">
<table class="rounds">${header}${rows.join('')}</table>
</section>`;
}

function roundCell(round: CapturedRound, k: number): string {
  // 1-based, like the numbers on the contact sheet.
  const rank = `<p class="${round.rank < k ? 'rank found' : 'rank'}">Target at #${round.rank + 1}</p>`;
  const sheet = round.hitsSheet ? `<img class="hits" src="${url(round.hitsSheet)}" alt="Top ${round.hits.length} hits">` : '<p>No hits.</p>';
  return `<p class="query">${escape(round.query)}</p>${rank}${feedbackHtml(round.feedback)}${sheet}`;
}

function feedbackHtml(feedback: CapturedFeedback): string {
  switch (feedback.kind) {
    case 'synthetic':
      return `<div>${feedback.images.map((src, i) => `<img class="feedback" src="${url(src)}" alt="Synthetic image ${i + 1}">`).join('')}</div>`;
    case 'top1':
      return `<div><img class="feedback" src="${url(feedback.image)}" alt="Top-1 hit ${escape(feedback.imageId)}"></div>`;
    case 'question':
      return `<p class="question">Question (${escape(feedback.attribute)}): ${escape(feedback.text)}</p>`;
    case 'none':
      return '';
  }
}

/** A relative "/"-separated path as an attribute value: each segment percent-encoded, then escaped. */
function url(path: string): string {
  return escape(path.split('/').map(encodeURIComponent).join('/'));
}
