import type { RoundProgress } from '../../core/ports/engine.js';
import { notice } from './message-payload.js';
import type { V2Message } from './message-payload.js';

/** Where a running round is, in a member's words. */
export function progressText(progress: RoundProgress): string {
  switch (progress.stage) {
    case 'queued':
      return progress.position !== undefined && progress.position > 1
        ? `Queued: ${progress.position - 1} round${progress.position === 2 ? '' : 's'} ahead of yours…`
        : 'Queued: yours is next…';
    case 'generate': {
      const steps = progress.step !== undefined && progress.total !== undefined ? ` (step ${progress.step} of ${progress.total})` : '';
      return `Drawing what you described${steps}…`;
    }
    case 'embed':
      return 'Reading the drawing…';
    case 'search':
    case 'feedback':
      return 'Searching the archive…';
  }
}

export const progressView = (progress: RoundProgress): V2Message => notice(progressText(progress));
