import { main } from './rank-bench.js';
await main(process.argv.slice(2));
