import { HUB_URL, HubApiError } from '@huggingface/hub';
import { isMirageError, MirageError } from '../errors.js';

/** Network failures that mean "the hub is not there", as opposed to an answer it gave. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

export interface HubErrorContext {
  readonly hubUrl: string | undefined;
  readonly repo: string;
  /** Where the files belong, for the copy-by-hand advice. */
  readonly dir: string;
}

export function hubUrlOf(hubUrl: string | undefined): string {
  return hubUrl ?? HUB_URL;
}

/**
 * Turns what the hub client throws into one actionable MirageError. A machine without network
 * access is common on GPU workers, so "unreachable" says how to install the files by hand.
 */
export function describeHubError(error: unknown, context: HubErrorContext): MirageError {
  if (isMirageError(error)) return error;
  const url = hubUrlOf(context.hubUrl);
  if (error instanceof HubApiError) {
    const status = error.statusCode;
    if (status === 401 || status === 403) {
      return new MirageError('MODEL_ERROR', `The model hub at ${url} refused access to ${context.repo} (HTTP ${status}); the repository may be gated or private.`, { cause: error });
    }
    if (status === 404) {
      return new MirageError('MODEL_ERROR', `The model hub at ${url} has no repository or file ${context.repo} (HTTP 404): ${firstLine(error.message)}`, { cause: error });
    }
    return new MirageError('MODEL_ERROR', `The model hub at ${url} answered HTTP ${status} for ${context.repo}: ${firstLine(error.message)}`, { cause: error });
  }
  const cause = networkCause(error);
  if (cause !== undefined) {
    return new MirageError(
      'MODEL_ERROR',
      `Cannot reach the model hub at ${url}: ${cause}. Check the network or pass --hub-url, or copy the files of ${context.repo} ` +
        `into ${context.dir} by hand (see docs/real-models-usage.md); a folder holding the files loads without a manifest.`,
      { cause: error },
    );
  }
  return new MirageError('MODEL_ERROR', `Downloading ${context.repo} from ${url} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** The network reason behind a failed fetch ("connect ECONNREFUSED 127.0.0.1:9"), if it is one. */
function networkCause(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined && UNREACHABLE_CODES.has(code)) return e.message || code;
  }
  // undici reports a refused or failed connection as a bare "fetch failed".
  return error instanceof TypeError && error.message === 'fetch failed' ? 'the connection failed' : undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
