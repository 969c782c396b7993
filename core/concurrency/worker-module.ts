import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Default for `--threads`: one per core the process may use. */
export const defaultThreads = (): number => availableParallelism();

/**
 * The file a worker thread loads for the module `name` beside `sibling` (an import.meta.url).
 * Built code (.js) loads directly. Under the test runner the sources are TypeScript, which a
 * worker thread cannot load by itself (and Node 20 ignores `--import` in a worker's execArgv):
 * the worker then starts from a small module that registers tsx's loader in that thread first.
 * tsx is a dev dependency and only ever reached from .ts sources, never from the built CLI.
 */
export function workerModule(sibling: string, name: string): string {
  const url = new URL(sibling);
  const extension = /\.[cm]?[jt]s$/.exec(url.pathname)?.[0] ?? '.js';
  const target = new URL(`./${name}${extension}`, url);
  if (!extension.endsWith('ts')) return fileURLToPath(target);
  const bootstrap = [
    `import { register } from 'node:module';`,
    // tsx refuses to start without registration data (its sign of not being a legacy --loader).
    `register('tsx/esm', ${JSON.stringify(sibling)}, { data: {} });`,
    `const loaded = await import(${JSON.stringify(target.href)});`,
    'export default loaded.default;',
  ].join('\n');
  return `data:text/javascript,${encodeURIComponent(bootstrap)}`;
}
