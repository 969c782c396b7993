#!/usr/bin/env node
// `npm ci` in a folder (default: this one), checked for what a CPU-only install must not do:
// print npm config warnings, or let a package's install script download anything. It is the
// install step of .ci/run, and test/install/install-scripts.test.ts runs it on a small project.
//
//   node scripts/check-clean-install.mjs [folder] [extra npm ci flags, e.g. --offline]
//
// Install scripts that download (onnxruntime-node's fetches CUDA libraries from NuGet) go
// through global-agent, which honours GLOBAL_AGENT_HTTP(S)_PROXY: both point at a local
// recorder that answers nothing, so an attempt is seen instead of reaching the network.
// Built-in modules only: it runs before node_modules exists.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { arch, platform } from 'node:os';
import { join, resolve } from 'node:path';

const [folderArg, ...npmFlags] = process.argv.slice(2);
const folder = resolve(folderArg ?? '.');

const attempts = [];
const recorder = createServer((req, res) => {
  attempts.push(`${req.method} ${req.url}`);
  res.writeHead(403).end();
});
recorder.on('connect', (req, socket) => {
  attempts.push(`CONNECT ${req.url}`);
  socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
});
await new Promise((done) => recorder.listen(0, '127.0.0.1', done));
const proxy = `http://127.0.0.1:${recorder.address().port}`;

// Settings inherited from an npm that started this script (npm test) are not the project's.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && !/^ONNXRUNTIME_NODE_INSTALL/.test(name)),
);
const npm = spawn('npm', ['ci', '--no-audit', '--no-fund', '--foreground-scripts', ...npmFlags], {
  cwd: folder,
  env: { ...env, GLOBAL_AGENT_HTTP_PROXY: proxy, GLOBAL_AGENT_HTTPS_PROXY: proxy },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
for (const stream of [npm.stdout, npm.stderr]) {
  stream.on('data', (chunk) => {
    output += chunk;
    process.stderr.write(chunk);
  });
}
const code = await new Promise((done) => npm.once('close', done));
recorder.close();

const problems = [];
if (code !== 0) problems.push(`npm ci exited with ${code}`);
for (const line of output.split('\n').filter((l) => /Unknown \w+ config/.test(l))) problems.push(`npm warned: ${line.trim()}`);
for (const attempt of attempts) problems.push(`an install script tried to download: ${attempt}`);
const ortBin = join(folder, 'node_modules/onnxruntime-node/bin/napi-v6', platform(), arch());
const providers = existsSync(ortBin) ? readdirSync(ortBin).filter((f) => f.startsWith('libonnxruntime_providers_')) : [];
for (const file of providers) problems.push(`onnxruntime-node's optional ${file} was installed`);

if (problems.length > 0) {
  process.stderr.write(`\ncheck-clean-install: ${folder}\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stderr.write(`\ncheck-clean-install: ${folder}: no npm config warnings, no downloads by install scripts.\n`);
