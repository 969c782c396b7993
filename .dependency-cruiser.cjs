/**
 * The house plan (docs/architecture.md), checked on every `npm test`. Layers from the bottom:
 *
 *   base      core/errors.ts, core/validate.ts and core/{session,vectors,random,images,fs,config,ports,concurrency}/
 *   method    core/{strategies,feedback,metrics,engine}/
 *   world     core/scenes/            adapters  core/adapters/{local,memory,onnx,usearch,redis}/
 *   services  core/{ingest,models}/
 *   turns     core/{turns,render}/
 *   eval      core/eval/
 *   runtime   core/runtime/            (the one place that builds engines, stores, indexes and models)
 *   front     cli/ mcp-server/ bot/ workers/ bench/
 *
 * A module may import its own layer and the layers below it, never one above.
 */
const BASE = '^core/(errors|validate)[.]ts$|^core/(session|vectors|random|images|fs|config|ports|concurrency)/';
const METHOD = '^core/(strategies|feedback|metrics|engine)/';
const WORLD_AND_ADAPTERS = '^core/(scenes|adapters)/';
const SERVICES = '^core/(ingest|models)/';
const TURNS = '^core/(turns|render)/';
const EVAL = '^core/eval/';
const RUNTIME = '^core/runtime/';
const FRONT_ENDS = '^(cli|mcp-server|bot|workers|bench)/';

const above = (layer, ...higher) => ({ from: { path: layer }, to: { path: higher.join('|') } });

module.exports = {
  forbidden: [
    { name: 'base-imports-base-only', severity: 'error', comment: 'Types and helpers import nothing above them.', ...above(BASE, METHOD, WORLD_AND_ADAPTERS, SERVICES, TURNS, EVAL, RUNTIME, FRONT_ENDS) },
    { name: 'method-below-world', severity: 'error', comment: 'The method knows ports, not the Scenes world, adapters or anything above.', ...above(METHOD, WORLD_AND_ADAPTERS, SERVICES, TURNS, EVAL, RUNTIME, FRONT_ENDS) },
    {
      name: 'strategies-below-engine',
      severity: 'error',
      comment: 'The engine runs strategies, feedback and metrics; they never reach back into it.',
      from: { path: '^core/(strategies|feedback|metrics)/' },
      to: { path: '^core/engine/' },
    },
    { name: 'world-and-adapters-below-services', severity: 'error', ...above(WORLD_AND_ADAPTERS, SERVICES, TURNS, EVAL, RUNTIME, FRONT_ENDS) },
    {
      name: 'world-is-no-adapter',
      severity: 'error',
      comment: 'The Scenes world implements ports itself; it and the adapters do not know each other.',
      from: { path: '^core/scenes/' },
      to: { path: '^core/adapters/' },
    },
    {
      name: 'adapters-are-no-world',
      severity: 'error',
      from: { path: '^core/adapters/' },
      to: { path: '^core/scenes/' },
    },
    {
      name: 'adapters-apart',
      severity: 'error',
      comment: 'Each adapter stands alone; what two share belongs in the base layer.',
      from: { path: '^core/adapters/([^/]+)/' },
      to: { path: '^core/adapters/', pathNot: '^core/adapters/$1/' },
    },
    { name: 'services-below-turns', severity: 'error', ...above(SERVICES, TURNS, EVAL, RUNTIME, FRONT_ENDS) },
    { name: 'turns-below-eval', severity: 'error', ...above(TURNS, EVAL, RUNTIME, FRONT_ENDS) },
    {
      name: 'render-without-engine',
      severity: 'error',
      comment: 'Tables and contact sheets draw what they are given; fetching images through the Engine is a turn.',
      from: { path: '^core/render/' },
      to: { path: '^core/(engine|turns)/|^core/ports/engine[.]ts$' },
    },
    { name: 'eval-below-runtime', severity: 'error', ...above(EVAL, RUNTIME, FRONT_ENDS) },
    { name: 'runtime-below-front-ends', severity: 'error', ...above(RUNTIME, FRONT_ENDS) },
    {
      name: 'front-ends-wire-through-runtime',
      severity: 'error',
      comment: 'Front ends get engines, stores and models from core/runtime; they name adapters in types at most. bench measures adapters and may import them.',
      from: { path: '^(cli|mcp-server|bot|workers)/' },
      to: { path: '^core/adapters/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'front-ends-apart',
      severity: 'error',
      comment: 'Front ends share logic through core/, never through each other; only the CLI starts the others.',
      from: { path: '^(mcp-server|bot|workers|bench)/' },
      to: { path: '^(cli|mcp-server|bot|workers)/', pathNot: '^$1/|^workers/worker-child[.]ts$' },
    },
    { name: 'no-circular', severity: 'error', comment: 'Import cycles hide layering mistakes.', from: {}, to: { circular: true } },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
    { name: 'not-to-dev-dep', severity: 'error', comment: 'Shipped code must not need dev dependencies.', from: { path: '^(core|cli|mcp-server|bot|workers)/' }, to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] } },
    {
      name: 'no-test-imports',
      severity: 'error',
      comment: 'Shipped code never imports tests; the bot benchmark drives the bot through the fake Discord server of the tests.',
      from: { path: '^(core|cli|mcp-server|bot|workers|bench)/' },
      to: { path: '^test/', pathNot: '^test/fake-discord/' },
    },
    { name: 'only-bench-drives-fake-discord', severity: 'error', from: { path: '^(core|cli|mcp-server|bot|workers)/' }, to: { path: '^test/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    exclude: { path: '^dist/' },
  },
};
