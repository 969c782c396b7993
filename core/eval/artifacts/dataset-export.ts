import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import type { Engine } from '../../ports/engine.js';
import type { EncodedImage } from '../../images/raw-image.js';
import type { EpisodeRecord } from '../episode-record.js';
import type { EpisodeObservation } from '../episode-options.js';
import type { RunFolder } from '../run-folder.js';
import { fileSafeName, roundName } from './file-names.js';
import { pngBytes } from './png.js';
import { WriteOnce } from './write-once.js';

export const DATASET_DIR = 'dataset';
export const DATASET_RECORDS = 'records.jsonl';
/** Per-episode working files; records.jsonl is assembled from them by finish(). */
const EPISODES_DIR = 'episodes';

/** One line of records.jsonl (schema documented in docs/dataset.md); paths are relative to dataset/. */
export interface DatasetRecord {
  readonly target_id: string;
  readonly strategy: string;
  readonly round: number;
  readonly query: string;
  /** The first synthetic image: the one a single-sample run (the published setting) made. */
  readonly synthetic_image: string;
  /** Every synthetic sample of the round (more than one when the run used several samples). */
  readonly synthetic_images: readonly string[];
  readonly retrieved_top1_id: string;
  readonly retrieved_top1_image: string;
  readonly target_image: string;
  /** y_t: the retrieved top-1 image is the target. */
  readonly label: boolean;
}

export interface DatasetExportOptions {
  readonly engine: Pick<Engine, 'getImage'>;
  readonly archive: string;
  readonly folder: RunFolder;
}

export interface WrittenDataset {
  readonly records: string;
  readonly count: number;
}

/**
 * Observe hook exporting the published curation pipeline's tuples (q_t, synthetic image,
 * retrieved top-1 image, y_t) for every round whose feedback is synthetic (the generative and
 * hybrid strategies). Each episode writes its own lines file, restarted at round 0, so an episode
 * re-run after a kill replaces its partial lines instead of adding to them; finish() assembles
 * records.jsonl from the finished episodes only, one line per (strategy, target, round).
 */
export class DatasetExport {
  private readonly shared = new WriteOnce();

  constructor(private readonly options: DatasetExportOptions) {}

  readonly observe = async (observation: EpisodeObservation): Promise<void> => {
    const { target, strategy, round, shown } = observation;
    const episodeDir = [fileSafeName(strategy), fileSafeName(target.id)];
    const lines = this.path(EPISODES_DIR, ...episodeDir) + '.jsonl';
    // Round 0 starts the episode afresh: lines of an earlier, killed attempt are dropped.
    if (round.index === 0) await rm(lines, { force: true });
    const top1 = round.hits[0];
    // Rounds without synthetic feedback have no synthetic image to pair; a round that retrieved
    // nothing (every image excluded) has no top-1.
    if (round.feedback.kind !== 'synthetic' || shown.synthetic.length === 0 || !top1) return;

    const syntheticDir = ['synthetic', ...episodeDir];
    await mkdir(this.path(...syntheticDir), { recursive: true });
    const synthetic = await Promise.all(
      shown.synthetic.map(async (s, i) => {
        const relative = [...syntheticDir, `${roundName(round.index)}-${i}.png`];
        await writeFile(this.path(...relative), await pngBytes(s.image));
        return relative.join('/');
      }),
    );
    const record: DatasetRecord = {
      target_id: target.id,
      strategy,
      round: round.index,
      query: round.query,
      synthetic_image: synthetic[0] as string,
      synthetic_images: synthetic,
      retrieved_top1_id: top1.id,
      retrieved_top1_image: await this.archiveCopy(top1.id, () => this.options.engine.getImage({ kind: 'archive', archive: this.options.archive, id: top1.id })),
      target_image: await this.archiveCopy(target.id, async () => target.image),
      label: top1.id === target.id,
    };
    await mkdir(dirname(lines), { recursive: true });
    await appendFile(lines, JSON.stringify(record) + '\n');
  };

  /**
   * Writes dataset/records.jsonl from the given finished episodes, in their order and by round.
   * Rewritten whole each time, so calling it again after a resumed run never duplicates lines.
   */
  async finish(episodes: readonly EpisodeRecord[]): Promise<WrittenDataset> {
    const out: string[] = [];
    for (const episode of episodes) {
      const file = this.path(EPISODES_DIR, fileSafeName(episode.strategy), fileSafeName(episode.targetId)) + '.jsonl';
      const byRound = new Map<number, DatasetRecord>();
      for (const line of (await readFile(file, 'utf8').catch(() => '')).split('\n')) {
        const record = parseRecord(line);
        if (record && record.round < episode.rounds.length) byRound.set(record.round, record);
      }
      for (const round of [...byRound.keys()].sort((a, b) => a - b)) out.push(JSON.stringify(byRound.get(round)));
    }
    const records = this.path(DATASET_RECORDS);
    await mkdir(this.path(), { recursive: true });
    await writeFileAtomic(records, out.map((l) => l + '\n').join(''));
    return { records, count: out.length };
  }

  private path(...parts: string[]): string {
    return this.options.folder.path(DATASET_DIR, ...parts);
  }

  /** Archive images are copied once, however many rounds retrieve them. */
  private async archiveCopy(id: string, image: () => Promise<EncodedImage>): Promise<string> {
    const relative = `archive/${fileSafeName(id)}.png`;
    await this.shared.write(this.path(relative), async () => pngBytes(await image()));
    return relative;
  }
}

/** A line cut short by a kill (in an episode that later re-ran from round 0) is skipped. */
function parseRecord(line: string): DatasetRecord | undefined {
  if (!line.trim()) return undefined;
  try {
    return JSON.parse(line) as DatasetRecord;
  } catch {
    return undefined;
  }
}
