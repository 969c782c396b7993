import { createHash, timingSafeEqual } from 'node:crypto';
import { invalidInput } from '../../../core/errors.js';

/** Shorter tokens are guessable; 16 characters of a random token are ~96 bits and more. */
export const MIN_TOKEN_LENGTH = 16;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The bearer tokens a server accepts. Each token is one client identity: MCP sessions are bound
 * to the token that opened them, so clients given different tokens cannot use each other's
 * sessions. Only digests are kept, and compared in constant time.
 */
export class BearerTokens {
  private readonly digests: readonly Buffer[];

  constructor(tokens: readonly string[]) {
    for (const token of tokens) {
      if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
        throw invalidInput(`A bearer token must be at least ${MIN_TOKEN_LENGTH} characters without spaces.`);
      }
    }
    this.digests = [...new Set(tokens)].map(digest);
  }

  get configured(): boolean {
    return this.digests.length > 0;
  }

  /** How many distinct tokens are accepted. */
  get count(): number {
    return this.digests.length;
  }

  /**
   * The identity behind an Authorization header: a digest prefix of the matching token,
   * "anonymous" when no tokens are configured, undefined when the header does not match.
   */
  identify(authorization: string | undefined): string | undefined {
    if (!this.configured) return 'anonymous';
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) return undefined;
    const presented = digest(token);
    let match: Buffer | undefined;
    // Every digest is compared, so timing does not tell which token (or how many) exist.
    for (const candidate of this.digests) if (timingSafeEqual(candidate, presented)) match = candidate;
    return match?.toString('hex').slice(0, 16);
  }
}

/** A list from the environment or a flag: MIRAGE_MCP_TOKEN (or MIRAGE_MCP_ALLOWED_HOSTS) may hold several, separated by commas. */
export function tokensFromEnv(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}
