import { describe, expect, it } from 'vitest';
import { decodeJobError, encodeJobError } from '../../../core/adapters/redis/job-error.js';
import { isMirageError, MirageError, type MirageErrorCode } from '../../../core/errors.js';

const CODES: MirageErrorCode[] = ['UNKNOWN_ARCHIVE', 'UNKNOWN_SESSION', 'UNKNOWN_IMAGE', 'INVALID_INPUT', 'IMAGE_REJECTED', 'SESSION_ENDED', 'NOT_SUPPORTED', 'ALREADY_EXISTS', 'CANCELLED', 'TIMEOUT', 'MODEL_ERROR'];

describe('job errors', () => {
  it.each(CODES)('carry %s and the message through a failed job', (code) => {
    const message = `Something about "${code}"\nover two lines.`;
    const decoded = decodeJobError(encodeJobError(new MirageError(code, message)));
    expect(isMirageError(decoded)).toBe(true);
    expect(decoded).toMatchObject({ code, message });
  });

  it('turn anything else into a plain error that says the worker failed', () => {
    for (const reason of [encodeJobError(new TypeError('x is undefined')), 'job stalled more than allowable limit', '[NOT_A_CODE] hi']) {
      const decoded = decodeJobError(reason);
      expect(isMirageError(decoded)).toBe(false);
      expect(decoded.message).toBe(`The worker failed: ${reason}`);
    }
  });
});
