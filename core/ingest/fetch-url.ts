import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addressRefusal } from './address-policy.js';
import { SkippedImage } from './image-source.js';

/** Redirects followed for one URL, each hop checked like the first. */
export const MAX_REDIRECTS = 5;

/** Resolves a host name to its addresses (dns.lookup by default; tests pass their own). */
export type HostResolver = (hostname: string) => Promise<readonly { readonly address: string; readonly family: number }[]>;

export interface FetchUrlOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  /** Whether loopback and private addresses may be reached (see address-policy.ts). */
  readonly privateNetwork: boolean;
  readonly resolve?: HostResolver;
}

const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Downloads one listed image without letting the URL choose where the server connects:
 * every hop's host is resolved once, every address it resolves to is checked against the
 * address policy before any connection is made, and the connection goes to the checked address
 * (no second lookup a rebinding DNS server could answer differently). Redirects are followed
 * here, at most MAX_REDIRECTS, each checked the same way.
 *
 * Every failure (a refused address, no answer in time, an HTTP error, a body over the size
 * limit) skips the image with the reason; only the run's own cancellation propagates.
 */
export async function fetchUrlBytes(url: string, options: FetchUrlOptions): Promise<Uint8Array> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    let target = new URL(url);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        throw new SkippedImage(`refused URL (a redirect to ${target.protocol.slice(0, -1)}:, not http or https)`);
      }
      const address = await checkedAddress(target, options);
      signal.throwIfAborted();
      const response = await get(target, address, signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        response.destroy();
        target = new URL(location, target);
        continue;
      }
      if (status < 200 || status >= 300) {
        response.destroy();
        throw new SkippedImage(`unreachable URL (HTTP ${status})`);
      }
      const declared = Number(response.headers['content-length'] ?? Number.NaN);
      if (declared > options.maxBytes) {
        response.destroy();
        throw tooBig(declared, options.maxBytes);
      }
      return await readCapped(response, options.maxBytes);
    }
    throw new SkippedImage(`unreachable URL (more than ${MAX_REDIRECTS} redirects)`);
  } catch (e) {
    options.signal?.throwIfAborted();
    if (e instanceof SkippedImage) throw e;
    if (timeout.aborted) throw new SkippedImage(`unreachable URL (no answer within ${options.timeoutMs / 1000} s)`);
    throw new SkippedImage(`unreachable URL (${networkReason(e)})`);
  }
}

interface Address {
  readonly address: string;
  readonly family: number;
}

/** The address to connect to for a URL, once every address its host resolves to passed the policy. */
async function checkedAddress(url: URL, options: FetchUrlOptions): Promise<Address> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host);
  const addresses = literal !== 0 ? [{ address: host, family: literal }] : await (options.resolve ?? systemResolver)(host);
  const first = addresses[0];
  if (first === undefined) throw new SkippedImage(`unreachable URL (${host} has no address)`);
  // One refused address refuses the host: which of them a connection would use is not ours to pick.
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, options.privateNetwork);
    if (refusal !== undefined) throw new SkippedImage(`refused URL (${host} is ${refusal})`);
  }
  return first;
}

/** A GET to the given address (not to whatever the host name resolves to by then). */
function get(url: URL, address: Address, signal: AbortSignal): Promise<IncomingMessage> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [address]);
    else callback(null, address.address, address.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'GET', lookup: pinned, signal, agent: false, headers: { accept: 'image/*' } }, resolve);
    req.once('error', reject);
    req.end();
  });
}

async function readCapped(response: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response) {
    const bytes = chunk as Buffer;
    total += bytes.byteLength;
    if (total > maxBytes) {
      response.destroy();
      throw tooBig(total, maxBytes);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

const tooBig = (bytes: number, max: number) => new SkippedImage(`over the size limit (more than ${max} bytes; ${bytes} seen)`);

function networkReason(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  return cause instanceof Error ? cause.message || cause.name : String(cause);
}
