import { invalidInput } from '../core/errors.js';
import { MIN_IMAGE_BUDGET, type CompactMime } from '../core/images/client-image.js';
import type { ServerPlace } from '../core/render/client-safe-text.js';
import type { EvaluationAssigner } from '../core/eval/evaluation-assignment.js';
import type { ArchiveBrowser } from './archive-browser.js';
import { drawnAssignments } from './evaluation-assigner.js';
import type { EvaluationSeals } from './evaluation-seals.js';

export interface MirageMcpOptions {
  /** Largest image block in a tool result, in bytes (default 256 KiB); larger versions are resource links. */
  readonly maxImageBytes?: number;
  /**
   * Largest image behind a resource link (archive images, synthetic images, evaluation targets),
   * in bytes (default 2 MiB): resources are re-encoded too, never the stored original.
   */
  readonly maxResourceBytes?: number;
  /** Encoding of image blocks and image resources (default JPEG, which every MCP client shows). */
  readonly imageMime?: CompactMime;
  /**
   * Enumerates archive images: needed to list image resources and to draw an evaluation target
   * from a seed. Without it images are still readable by URI and targets can be given by id.
   */
  readonly browser?: ArchiveBrowser;
  /**
   * The client's identity ("mcp:<token digest>"): the engine sessions this server starts are
   * owned by it, so another client cannot use them even with their id.
   */
  readonly owner?: string;
  /** Archives with at most this many images are listed in resources/list (default 1,000). */
  readonly listMaxImages?: number;
  /** Resources per resources/list page (default 100). */
  readonly listPageSize?: number;
  /**
   * The server's data and model folders (serverPlaces(config)): error texts sent to clients name
   * files relative to them, and other absolute paths by their last component only.
   */
  readonly serverPlaces?: readonly ServerPlace[];
  /**
   * Assigns target and seed of each start_evaluation that names neither (default: an
   * unguessable seed and the target it draws, which needs `browser`). The evaluation harness
   * hands in its own plan here, out of the agent's reach.
   */
  readonly assignEvaluation?: EvaluationAssigner;
  /**
   * Shared evaluations (a leaderboard, several agents): start_evaluation refuses a target or
   * seed chosen by the client instead of running the episode unscored.
   */
  readonly sharedEvaluations?: boolean;
  /**
   * Open evaluations per client identity, shared by the servers of one process so that a second
   * connection with the same token is sealed too (default: this server's own).
   */
  readonly seals?: EvaluationSeals;
}

type Optional = 'browser' | 'owner' | 'seals';
export type ResolvedOptions = Required<Omit<MirageMcpOptions, Optional>> & Pick<MirageMcpOptions, Optional>;

export const DEFAULT_MAX_IMAGE_BYTES = 256 * 1024;
export const DEFAULT_MAX_RESOURCE_BYTES = 2 * 1024 * 1024;
/** Tool results travel as JSON with base64 images; beyond a few MiB clients choke. */
export const MAX_IMAGE_BYTES_LIMIT = 4 * 1024 * 1024;

export function resolveOptions(options: MirageMcpOptions = {}): ResolvedOptions {
  const resolved = {
    maxImageBytes: options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
    maxResourceBytes: options.maxResourceBytes ?? DEFAULT_MAX_RESOURCE_BYTES,
    imageMime: options.imageMime ?? 'image/jpeg',
    listMaxImages: options.listMaxImages ?? 1_000,
    listPageSize: options.listPageSize ?? 100,
    serverPlaces: options.serverPlaces ?? [],
    assignEvaluation: options.assignEvaluation ?? drawnAssignments(options.browser),
    sharedEvaluations: options.sharedEvaluations ?? false,
    ...(options.browser ? { browser: options.browser } : {}),
    ...(options.owner !== undefined ? { owner: options.owner } : {}),
    ...(options.seals ? { seals: options.seals } : {}),
  } satisfies ResolvedOptions;
  const { maxImageBytes, maxResourceBytes, listMaxImages, listPageSize } = resolved;
  for (const [what, bytes] of [['image', maxImageBytes], ['resource', maxResourceBytes]] as const) {
    if (!Number.isInteger(bytes) || bytes < MIN_IMAGE_BUDGET || bytes > MAX_IMAGE_BYTES_LIMIT) {
      throw invalidInput(`The ${what} size cap must be a whole number of bytes from ${MIN_IMAGE_BUDGET} to ${MAX_IMAGE_BYTES_LIMIT}; got ${bytes}.`);
    }
  }
  if (!Number.isInteger(listMaxImages) || listMaxImages < 0) {
    throw invalidInput(`listMaxImages must be a whole number >= 0; got ${listMaxImages}.`);
  }
  if (!Number.isInteger(listPageSize) || listPageSize < 1 || listPageSize > 1_000) {
    throw invalidInput(`listPageSize must be a whole number from 1 to 1000; got ${listPageSize}.`);
  }
  return resolved;
}
