import { describe, expect, it } from 'vitest';
import { fileSafeName, roundName } from '../../../core/eval/artifacts/file-names.js';

describe('fileSafeName', () => {
  it('keeps plain ids as they are', () => {
    expect(fileSafeName('sc-0000042')).toBe('sc-0000042');
    expect(fileSafeName('photo_1.jpg')).toBe('photo_1.jpg');
  });

  it('turns ids with separators, dots or spaces into one safe name', () => {
    for (const id of ['../../etc/passwd', 'a/b', '..', '.hidden', 'with space', 'x\\y', '']) {
      const name = fileSafeName(id);
      expect(name, id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
      expect(name).not.toContain('..');
    }
  });

  it('gives different ids different names, even when their slugs agree', () => {
    const ids = ['a/b', 'a b', 'a_b', 'a?b', 'A/B'];
    expect(new Set(ids.map(fileSafeName)).size).toBe(ids.length);
  });

  it('bounds the length of names made from long ids', () => {
    expect(fileSafeName('x/'.repeat(500)).length).toBeLessThanOrEqual(80);
  });
});

describe('roundName', () => {
  it('pads rounds so that names sort in round order', () => {
    expect(roundName(3)).toBe('round-03');
    expect([roundName(10), roundName(2)].sort()).toEqual(['round-02', 'round-10']);
  });
});
