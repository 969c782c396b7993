import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { TEXT_TOWER_FILE } from '../../core/scenes/text-tower/text-tower-model.js';
import { textTowerReport } from '../../core/scenes/text-tower/text-tower-report.js';
import { trainTextTower } from '../../core/scenes/text-tower/train-text-tower.js';
import type { CliContext } from '../context.js';
import { printLines } from '../output.js';

/** Where the committed weights live in the source tree (the build copies them next to the modules). */
const WEIGHTS_DIR = path.join('core', 'scenes', 'text-tower', 'weights');

export function registerTextTower(program: Command, ctx: CliContext): void {
  const tower = program.command('text-tower').description("The Scenes world's learned text tower (docs/text-tower.md)");
  tower
    .command('train')
    .description('Retrain it from the reserved training world (deterministic; a few minutes) and write weights, header and report')
    .option('--out <dir>', 'folder for the weights', WEIGHTS_DIR)
    .action(async (flags: { readonly out: string }) => {
      const trained = await trainTextTower(undefined, (line) => ctx.io.stderr(`${line}\n`));
      const dir = ctx.resolvePath(flags.out);
      await mkdir(dir, { recursive: true });
      const file = (ext: string) => path.join(dir, `${TEXT_TOWER_FILE}.${ext}`);
      await writeFile(file('f16'), trained.bytes);
      await writeFile(file('json'), `${JSON.stringify(trained.header, null, 2)}\n`);
      await writeFile(file('md'), textTowerReport(trained.header, trained.grid));
      printLines(ctx.io, `Text tower ${trained.header.version} written to ${ctx.displayPath(dir)} (${trained.bytes.length} bytes of weights).`);
    });
}
