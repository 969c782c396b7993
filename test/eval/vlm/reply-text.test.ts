import { describe, expect, it } from 'vitest';
import { normaliseReply } from '../../../core/eval/vlm/reply-text.js';

describe('normaliseReply', () => {
  it.each([
    ['joins paragraphs into one', 'A red bus.\n\n  It is parked by a tree.\n', 'A red bus. It is parked by a tree.'],
    ['drops reasoning blocks', '<think>The user wants...\nok</think>\nA red bus.', 'A red bus.'],
    ['keeps only what follows an unopened closing think tag', 'planning the answer</think> A red bus.', 'A red bus.'],
    ['drops a leading label and markdown emphasis', '**Revised description:** A **red** bus.', 'A red bus.'],
    ['drops wrapping quotes', '"A red bus by a tree."', 'A red bus by a tree.'],
    ['keeps quotes that are not wrapping', '"Stop" is written on a sign, says "go".', '"Stop" is written on a sign, says "go".'],
    ['drops list markers and code fences', '```\n- Colour: red, not blue.\n2. Size: bigger.\n```', 'Colour: red, not blue. Size: bigger.'],
  ])('%s', (_, reply, expected) => {
    expect(normaliseReply(reply, 900)).toBe(expected);
  });

  it('cuts at the last whole sentence that fits', () => {
    expect(normaliseReply('One two three. Four five six. Seven eight nine.', 35)).toBe('One two three. Four five six.');
  });

  it('cuts at a word boundary when a sentence cut would lose more than half', () => {
    expect(normaliseReply('Short. then a very long sentence without any full stop in it', 40)).toBe('Short. then a very long sentence without');
  });

  it('returns an empty string when nothing but reasoning came back', () => {
    expect(normaliseReply('<think>hmm</think>\n\n', 900)).toBe('');
  });
});
