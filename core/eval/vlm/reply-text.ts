/** Labels models like to put in front of the text asked for ("Revised description: ..."). */
const LEADING_LABEL =
  /^(?:(?:new|revised|rewritten|updated|refined|improved|final)\s+)?(?:description|query|answer|differences?)\s*:\s*/i;
const LIST_MARKER = /^(?:[-*•]|\d+[.)])\s+/;
const QUOTES: readonly (readonly [string, string])[] = [
  ['"', '"'],
  ['“', '”'],
  ["'", "'"],
];

/**
 * Turns a model reply into one clean paragraph of at most maxChars: drops reasoning blocks,
 * code fences, markdown emphasis, list markers, a leading label and wrapping quotes, then cuts
 * at the last sentence (or word) boundary that fits, because a query cut mid-word embeds worse.
 */
export function normaliseReply(reply: string, maxChars: number): string {
  let text = reply.replace(/<think>[\s\S]*?<\/think>/gi, '');
  const unclosed = text.lastIndexOf('</think>');
  if (unclosed >= 0) text = text.slice(unclosed + '</think>'.length);
  text = text
    .replace(/```[a-z]*\n?/gi, '')
    .replace(/\*\*|__/g, '')
    .split('\n')
    .map((line) => line.trim().replace(LIST_MARKER, ''))
    .filter((line) => line !== '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(LEADING_LABEL, '');
  text = unquote(text);
  return cap(text, maxChars);
}

function unquote(text: string): string {
  for (const [open, close] of QUOTES) {
    if (text.length >= 2 && text.startsWith(open) && text.endsWith(close)) {
      const inner = text.slice(open.length, -close.length);
      if (!inner.includes(open) && !inner.includes(close)) return inner.trim();
    }
  }
  return text;
}

function cap(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = text.slice(0, maxChars + 1);
  const sentenceEnd = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '), head.lastIndexOf('? '));
  // Keep whole sentences unless that would throw away more than half of what fits.
  if (sentenceEnd >= maxChars / 2) return head.slice(0, sentenceEnd + 1);
  return cutAtWord(text, maxChars);
}

/** At most maxChars, cut at the last whitespace that fits (mid-word only when there is none). */
export function cutAtWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = text.slice(0, maxChars + 1);
  const space = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\n'));
  return (space > 0 ? head.slice(0, space) : text.slice(0, maxChars)).trim();
}
