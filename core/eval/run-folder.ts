import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { invalidInput } from '../errors.js';
import { episodeKey, type EpisodeRecord } from './episode-record.js';

/**
 * The folder of one evaluation run. Finished episodes are appended one JSON line each, so a
 * killed run loses at most the episodes in flight and a re-run continues where it stopped.
 */
export class RunFolder {
  constructor(readonly dir: string) {}

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** Fixes the run's defining settings, or checks that a resumed run uses the same ones. */
  async claim(settings: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = this.path('run-config.json');
    const existing = await readFile(file, 'utf8').catch(() => undefined);
    if (existing === undefined) {
      await writeFile(file, JSON.stringify(settings, null, 2) + '\n');
      return;
    }
    if (!isDeepStrictEqual(JSON.parse(existing), JSON.parse(JSON.stringify(settings)))) {
      throw invalidInput(
        `Run folder ${this.dir} holds an evaluation with different settings; use another --out or the same options to resume it.`,
      );
    }
  }

  /**
   * Episodes finished by earlier runs. A line cut short by a kill is dropped (that episode runs
   * again) and the file rewritten, so the next append does not glue onto the broken line.
   */
  async finishedEpisodes(): Promise<Map<string, EpisodeRecord>> {
    const file = this.path('episodes.jsonl');
    const text = await readFile(file, 'utf8').catch(() => '');
    const done = new Map<string, EpisodeRecord>();
    const kept: string[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const record = JSON.parse(line) as EpisodeRecord;
        done.set(episodeKey(record.strategy, record.targetId), record);
        kept.push(line);
      } catch {
        // Dropped below.
      }
    }
    const clean = kept.map((l) => l + '\n').join('');
    if (clean !== text) await writeFile(file, clean);
    return done;
  }

  async appendEpisode(record: EpisodeRecord): Promise<void> {
    await appendFile(this.path('episodes.jsonl'), JSON.stringify(record) + '\n');
  }
}
