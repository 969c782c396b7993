import { randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { startSessionSchema } from './requests.js';
import type { Session } from './session.js';

type ParsedStart = z.output<typeof startSessionSchema>;

/** A fresh session; without a seed one is drawn and recorded, so any session can be replayed. */
export function newSession(request: ParsedStart, now = new Date()): Session {
  const created = now.toISOString();
  return {
    id: randomUUID(),
    ...(request.owner !== undefined ? { owner: request.owner } : {}),
    archive: request.archive,
    strategy: request.strategy,
    k: request.k,
    samples: request.samples,
    seed: request.seed ?? randomBytes(4).readUInt32LE(0),
    options: {
      excludeRejected: request.excludeRejected,
      rocchio: request.rocchio,
      hybrid: request.hybrid,
      verbalCandidates: request.verbalCandidates,
    },
    status: 'active',
    rounds: [],
    createdAt: created,
    updatedAt: created,
  };
}
