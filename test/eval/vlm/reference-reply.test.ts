import { describe, expect, it } from 'vitest';
import { MirageError } from '../../../core/errors.js';
import { joinReplyLines, referenceReply } from '../../../core/eval/vlm/reference-reply.js';
import { cutAtWord } from '../../../core/eval/vlm/reply-text.js';

describe('referenceReply', () => {
  it('strips surrounding whitespace and nothing else', () => {
    expect(referenceReply('\n  **Caption:** "A red bus."\n\n- by a tree \t\n', 'describe', 0)).toBe('**Caption:** "A red bus."\n\n- by a tree');
  });

  it.each(['<think>plan</think>A red bus.', 'plan</think> A red bus.', 'A red bus. <THINK>'])('refuses a reasoning block: %s', (reply) => {
    const error = (() => {
      try {
        referenceReply(reply, 'refine', 3);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(MirageError);
    expect((error as MirageError).code).toBe('MODEL_ERROR');
    expect((error as MirageError).message).toContain('refine prompt in round 3');
  });
});

describe('joinReplyLines', () => {
  it('strips every line and joins them with ", ", blank lines included, for any line ending', () => {
    expect(joinReplyLines('A red bus.\r\n  By a tree.\rAt night.')).toBe('A red bus., By a tree., At night.');
    expect(joinReplyLines('A red bus.\n\nBy a tree.')).toBe('A red bus., , By a tree.');
    expect(joinReplyLines('one line')).toBe('one line');
  });
});

describe('cutAtWord', () => {
  it('keeps text that fits and otherwise cuts at the last space or line break that fits', () => {
    expect(cutAtWord('a red bus', 9)).toBe('a red bus');
    expect(cutAtWord('a red bus by a tree', 12)).toBe('a red bus by');
    expect(cutAtWord('a red\nbus', 7)).toBe('a red');
    expect(cutAtWord('abcdefghij', 4)).toBe('abcd');
  });
});
