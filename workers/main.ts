#!/usr/bin/env node
/** Container entry point: the same as "mirage worker", with its flags. */
import { runCli } from '../cli/program.js';

process.exitCode = await runCli(['worker', ...process.argv.slice(2)]);
