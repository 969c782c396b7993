/**
 * `npm run bench -- <name> [options]`: one entry point for every benchmark. Figures go to the
 * console and bench-results/; they are measurements to report, never test thresholds.
 */
type BenchMain = (argv: readonly string[]) => Promise<void>;

const BENCHES: Readonly<Record<string, () => Promise<{ main: BenchMain }>>> = {
  world: () => import('./world-bench.js'),
  eval: () => import('./eval-bench.js'),
  index: () => import('./index-bench.js'),
  rank: () => import('./rank-bench.js'),
  gpu: () => import('./gpu-bench.js'),
  ingest: () => import('./ingest-bench.js'),
  queue: () => import('./queue-bench.js'),
  bot: () => import('./bot-bench.js'),
  'served-image': () => import('./served-image-bench.js'),
  sensitivity: () => import('./sensitivity-bench.js'),
};

const [name, ...rest] = process.argv.slice(2);
const load = name ? BENCHES[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options]`);
  process.exitCode = 2;
} else {
  await (await load()).main(rest);
}
