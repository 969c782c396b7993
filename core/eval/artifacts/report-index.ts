import { mkdir, readdir, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import type { RunFolder } from '../run-folder.js';

/** Folder of the run holding the report's captured images and per-round entries. */
export const REPORT_DIR = 'report';

/** Paths in entries are relative to the run folder, with "/" separators (they go into HTML). */
const capturedFeedbackSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('synthetic'), images: z.array(z.string()) }),
  z.object({ kind: z.literal('top1'), imageId: z.string(), image: z.string() }),
  z.object({ kind: z.literal('question'), attribute: z.string(), text: z.string() }),
  z.object({ kind: z.literal('none') }),
]);

export const capturedRoundSchema = z.object({
  target: z.string(),
  strategy: z.string(),
  round: z.number().int().min(0),
  query: z.string(),
  /** 0-based rank of the target after the round. */
  rank: z.number().int().min(0),
  hits: z.array(z.object({ id: z.string(), score: z.number() })),
  /** Contact sheet of the top hits; absent when the round retrieved nothing. */
  hitsSheet: z.string().optional(),
  feedback: capturedFeedbackSchema,
});

export const capturedTargetSchema = z.object({
  id: z.string(),
  /** Position in the run's sampled target list. */
  order: z.number().int().min(0),
  image: z.string(),
});

export type CapturedFeedback = z.infer<typeof capturedFeedbackSchema>;
export type CapturedRound = z.infer<typeof capturedRoundSchema>;
export type CapturedTarget = z.infer<typeof capturedTargetSchema>;

export interface ReportTarget extends CapturedTarget {
  /** Rounds per strategy, in round order. */
  readonly strategies: Readonly<Record<string, readonly CapturedRound[]>>;
}

/** Everything captured for the report, targets in sample order. */
export interface ReportIndex {
  readonly targets: readonly ReportTarget[];
}

export const TARGET_ENTRY = 'target.json';
const ROUND_ENTRY = /^round-\d+\.json$/;

/**
 * Collects what ReportCapture saved, by reading its entries back from disk: that way a resumed
 * run's report includes the episodes captured before the interruption. Entries that do not parse
 * (a file cut short by a kill in an episode that then never finished) are left out.
 */
export async function readReportIndex(folder: RunFolder): Promise<ReportIndex> {
  const targets: ReportTarget[] = [];
  for (const dir of await subfolders(folder.path(REPORT_DIR))) {
    const target = await readEntry(folder.path(REPORT_DIR, dir, TARGET_ENTRY), capturedTargetSchema);
    if (!target) continue;
    const strategies: Record<string, CapturedRound[]> = {};
    for (const sub of await subfolders(folder.path(REPORT_DIR, dir))) {
      const names = (await readdir(folder.path(REPORT_DIR, dir, sub))).filter((n) => ROUND_ENTRY.test(n));
      for (const name of names) {
        const round = await readEntry(folder.path(REPORT_DIR, dir, sub, name), capturedRoundSchema);
        if (round && round.target === target.id) (strategies[round.strategy] ??= []).push(round);
      }
    }
    for (const rounds of Object.values(strategies)) rounds.sort((a, b) => a.round - b.round);
    targets.push({ ...target, strategies });
  }
  targets.sort((a, b) => a.order - b.order);
  return { targets };
}

/** Saves the index as report/index.json, for tools that want the captured data without HTML. */
export async function writeReportIndex(folder: RunFolder, index: ReportIndex): Promise<string> {
  const path = folder.path(REPORT_DIR, 'index.json');
  await mkdir(folder.path(REPORT_DIR), { recursive: true });
  await writeFileAtomic(path, JSON.stringify(index, null, 2) + '\n');
  return path;
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

async function readEntry<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
