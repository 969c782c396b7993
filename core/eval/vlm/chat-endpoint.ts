import { MirageError } from '../../errors.js';

/**
 * The chat-completions URL for a configured base. The base is normally the API root
 * (.../v1), but people also paste the server root (http://localhost:8000) or the full
 * endpoint; all three resolve to the same place.
 */
export function chatCompletionsUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new MirageError('INVALID_INPUT', `VLM base URL ${JSON.stringify(baseUrl)} is not a URL.`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/chat/completions')) url.pathname = path;
  else if (path === '') url.pathname = '/v1/chat/completions';
  else url.pathname = `${path}/chat/completions`;
  return url.toString();
}
