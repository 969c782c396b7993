import type { Variables } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import { invalidInput } from '../core/errors.js';

/** Resource URI templates; the variables are percent-encoded path segments. */
export const URI_TEMPLATES = {
  archiveImage: 'mirage://archives/{archive}/images/{id}',
  synthetic: 'mirage://synthetic/{id}',
  evaluationTarget: 'mirage://evaluations/{session}/target',
} as const;

const segment = encodeURIComponent;

export const archiveImageUri = (archive: string, id: string) => `mirage://archives/${segment(archive)}/images/${segment(id)}`;
export const syntheticImageUri = (id: string) => `mirage://synthetic/${segment(id)}`;
export const evaluationTargetUri = (sessionId: string) => `mirage://evaluations/${segment(sessionId)}/target`;

/** One decoded template variable; a malformed escape is the caller's error, not a crash. */
export function uriVariable(variables: Variables, name: string): string {
  const raw = variables[name];
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if (value === undefined || value === '') throw invalidInput(`The resource URI has no ${name}.`);
  try {
    return decodeURIComponent(value);
  } catch {
    throw invalidInput(`The ${name} in the resource URI is not validly percent-encoded.`);
  }
}
