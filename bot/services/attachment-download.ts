import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BotRefusal } from '../bot-error.js';

/** Discord serves attachments from these hosts; a compatible server (DISCORD_API_BASE) from its own. */
const DISCORD_CDN_HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'];
const DOWNLOAD_TIMEOUT_MS = 30_000;

/** The hosts attachments may be fetched from: Discord's CDN, or the host of a configured API base. */
export function attachmentHosts(apiBase: string | undefined): Set<string> {
  return new Set([...DISCORD_CDN_HOSTS, ...(apiBase ? [new URL(apiBase).host] : [])]);
}

/**
 * Downloads one attachment to `path` at once (Discord's CDN links are signed and expire), from
 * an allowed host only, without following redirects, and stopping at maxBytes whatever the
 * headers claimed. A refusal says why; nothing is left behind.
 */
export async function downloadAttachment(url: string, path: string, maxBytes: number, hosts: ReadonlySet<string>): Promise<number> {
  const parsed = new URL(url);
  if (!hosts.has(parsed.host) || !/^https?:$/.test(parsed.protocol)) throw new BotRefusal(`attachment URL on an unexpected host (${parsed.host})`);
  const response = await fetch(parsed, { redirect: 'error', signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  if (!response.ok || !response.body) throw new BotRefusal(`download failed (HTTP ${response.status})`);
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new BotRefusal(`over the size limit (${declared} bytes; the limit is ${maxBytes})`);
  await mkdir(dirname(path), { recursive: true });
  let received = 0;
  const capped = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>).map((chunk: Buffer) => {
    received += chunk.byteLength;
    if (received > maxBytes) throw new BotRefusal(`over the size limit (more than ${maxBytes} bytes)`);
    return chunk;
  });
  try {
    await pipeline(capped, createWriteStream(path));
  } catch (e) {
    await rm(path, { force: true });
    throw e;
  }
  return received;
}
