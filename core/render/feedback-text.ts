import type { Feedback } from '../session/session.js';

/**
 * One line telling the searcher what the system understood. Synthetic images are named by
 * whatever the front end shows them as (file paths, attachment names); ids are the fallback.
 */
export function describeFeedback(feedback: Feedback, syntheticNames?: readonly string[]): string | undefined {
  switch (feedback.kind) {
    case 'synthetic': {
      const names = syntheticNames ?? feedback.images.map((i) => i.id);
      const plural = names.length === 1 ? '' : 's';
      return `How Mirage pictured your description (synthetic image${plural}): ${names.join(', ')}`;
    }
    case 'top1':
      return `Best match so far (top-1 feedback): ${feedback.imageId}`;
    case 'question':
      return `Question to narrow it down (${feedback.attribute}): ${feedback.text}`;
    case 'none':
      return undefined;
  }
}
