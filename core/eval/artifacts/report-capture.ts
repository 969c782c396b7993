import { mkdir, writeFile } from 'node:fs/promises';
import { invalidInput } from '../../errors.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import type { Engine } from '../../ports/engine.js';
import type { EncodedImage } from '../../images/raw-image.js';
import type { ImageSize } from '../../ports/archive-store.js';
import { renderContactSheet } from '../../render/contact-sheet.js';
import type { Round } from '../../session/session.js';
import type { EpisodeObservation } from '../episode-options.js';
import type { RunFolder } from '../run-folder.js';
import { fileSafeName, roundName } from './file-names.js';
import { pngBytes } from './png.js';
import {
  readReportIndex,
  REPORT_DIR,
  TARGET_ENTRY,
  writeReportIndex,
  type CapturedFeedback,
  type CapturedRound,
  type CapturedTarget,
  type ReportIndex,
} from './report-index.js';
import { WriteOnce } from './write-once.js';

export const DEFAULT_REPORT_TARGETS = 3;
export const DEFAULT_REPORT_HITS = 10;
const SHEET_COLUMNS = 5;
/** The Scenes world stores 96-pixel thumbnails; a larger cell would only upscale them. */
const SHEET_CELL = 96;

export interface ReportCaptureOptions {
  readonly engine: Pick<Engine, 'getImage'>;
  readonly archive: string;
  readonly folder: RunFolder;
  /** The run's sampled targets, in sample order; the report shows the first `count`. */
  readonly targets: readonly string[];
  readonly count?: number;
  /** Hits on each round's contact sheet. */
  readonly hits?: number;
}

/**
 * Observe hook that saves, for a few targets, what report.html shows: the target image and, per
 * strategy and round, the query, the feedback (synthetic images, the top-1 image or the
 * question) and a contact sheet of the top hits. Everything is written as the round happens,
 * the round's JSON entry last, so a killed run keeps whole entries and a resumed run adds to them.
 */
export class ReportCapture {
  /** The targets captured, in sample order. */
  readonly targets: readonly string[];
  private readonly order: ReadonlyMap<string, number>;
  private readonly hits: number;
  private readonly shared = new WriteOnce();

  constructor(private readonly options: ReportCaptureOptions) {
    const count = options.count ?? DEFAULT_REPORT_TARGETS;
    if (!Number.isInteger(count) || count < 0) throw invalidInput(`Report target count must be a whole number >= 0, got ${count}.`);
    const hits = options.hits ?? DEFAULT_REPORT_HITS;
    if (!Number.isInteger(hits) || hits < 1) throw invalidInput(`Report hits per round must be a whole number >= 1, got ${hits}.`);
    this.targets = options.targets.slice(0, count);
    this.order = new Map(this.targets.map((id, i) => [id, i]));
    this.hits = hits;
  }

  readonly observe = async (observation: EpisodeObservation): Promise<void> => {
    const { target, strategy, round, rank, shown } = observation;
    const order = this.order.get(target.id);
    if (order === undefined) return;
    const targetDir = [REPORT_DIR, fileSafeName(target.id)];
    await this.saveTarget(targetDir, { id: target.id, order, image: [...targetDir, 'target.png'].join('/') }, target.image);

    const dir = [...targetDir, fileSafeName(strategy)];
    await mkdir(this.options.folder.path(...dir), { recursive: true });
    const base = roundName(round.index);
    const save = async (name: string, image: EncodedImage) => {
      const relative = [...dir, `${base}-${name}.png`];
      await writeFile(this.options.folder.path(...relative), await pngBytes(image));
      return relative.join('/');
    };

    let feedback: CapturedFeedback;
    switch (round.feedback.kind) {
      case 'synthetic':
        feedback = { kind: 'synthetic', images: await Promise.all(shown.synthetic.map((s, i) => save(`synthetic-${i}`, s.image))) };
        break;
      case 'top1': {
        const imageId = round.feedback.imageId;
        const image = shown.top1?.image ?? (await this.archiveImage(imageId, 'full'));
        feedback = { kind: 'top1', imageId, image: await save('top1', image) };
        break;
      }
      case 'question':
        feedback = { kind: 'question', attribute: round.feedback.attribute, text: round.feedback.text };
        break;
      case 'none':
        feedback = { kind: 'none' };
        break;
    }
    const sheet = await this.hitsSheet(round, target.id);
    const entry: CapturedRound = {
      target: target.id,
      strategy,
      round: round.index,
      query: round.query,
      rank,
      hits: round.hits.slice(0, this.hits).map((h) => ({ id: h.id, score: h.score })),
      ...(sheet ? { hitsSheet: await save('hits', sheet) } : {}),
      feedback,
    };
    await writeFileAtomic(this.options.folder.path(...dir, `${base}.json`), JSON.stringify(entry, null, 2) + '\n');
  };

  /** Reads every captured entry back (including a resumed run's earlier ones) and writes report/index.json. */
  async finish(): Promise<ReportIndex> {
    const index = await readReportIndex(this.options.folder);
    await writeReportIndex(this.options.folder, index);
    return index;
  }

  private async saveTarget(dir: readonly string[], entry: CapturedTarget, image: EncodedImage): Promise<void> {
    const folder = this.options.folder;
    await this.shared.write(folder.path(...dir, 'target.png'), () => pngBytes(image));
    await this.shared.write(folder.path(...dir, TARGET_ENTRY), async () => Buffer.from(JSON.stringify(entry, null, 2) + '\n'));
  }

  private archiveImage(id: string, size: ImageSize): Promise<EncodedImage> {
    return this.options.engine.getImage({ kind: 'archive', archive: this.options.archive, id }, size);
  }

  /** Thumbnails of the top hits, labelled with their scores; the target, when present, is marked. */
  private async hitsSheet(round: Round, targetId: string): Promise<EncodedImage | undefined> {
    const hits = round.hits.slice(0, this.hits);
    if (hits.length === 0) return undefined;
    const items = await Promise.all(
      hits.map(async (hit) => ({
        image: await this.archiveImage(hit.id, 'thumb'),
        label: hit.id === targetId ? 'TARGET' : hit.score.toFixed(3),
      })),
    );
    return renderContactSheet(items, { columns: SHEET_COLUMNS, cell: SHEET_CELL });
  }
}
