import { writeFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { addressRefusal } from '../../core/ingest/address-policy.js';
import { fetchUrlBytes, MAX_REDIRECTS, type HostResolver } from '../../core/ingest/fetch-url.js';
import { LOCAL_ACCESS, remoteAccess, type IngestAccess } from '../../core/ingest/ingest-access.js';
import { ingestImages, type IngestResult } from '../../core/ingest/ingest-images.js';
import { SkippedImage } from '../../core/ingest/image-source.js';
import { createScenesBundle } from '../../core/scenes/scenes-bundle.js';
import { loadConfig } from '../../core/config/config.js';
import { createRuntime } from '../../core/runtime/runtime.js';
import { archiveStore, link, picture, tempDir, writeBytes } from './image-files.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Every socket this process opens passes here first. Only loopback may be contacted: a
 * connection attempt to anything else (a metadata address, a private network) fails the test
 * before a packet is sent.
 */
const connects: string[] = [];
const realConnect = Socket.prototype.connect;
beforeAll(() => {
  vi.spyOn(Socket.prototype, 'connect').mockImplementation(function (this: Socket, ...args: unknown[]) {
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const host = typeof first === 'object' && first !== null && 'host' in first ? String((first as { host?: unknown }).host ?? 'localhost') : typeof args[1] === 'string' ? args[1] : 'localhost';
    connects.push(host);
    if (!LOOPBACK_HOSTS.has(host)) throw new Error(`test guard: a connection to ${host} was attempted`);
    return (realConnect as (...a: unknown[]) => Socket).apply(this, args);
  });
});
afterAll(() => vi.restoreAllMocks());
afterEach(() => {
  connects.length = 0;
  requests.length = 0;
});

let work: string;
let server: Server;
let base: string;
let jpeg: Buffer;
const requests: string[] = [];

beforeAll(async () => {
  work = await tempDir('mirage-ingest-access-');
  jpeg = await picture(31, 40, 30).jpeg().toBuffer();
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/cat.jpg') {
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
    } else if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/cat.jpg' }).end();
    } else if (url.pathname === '/loop') {
      res.writeHead(302, { location: `/loop?n=${Number(url.searchParams.get('n') ?? 0) + 1}` }).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await rm(work, { recursive: true, force: true });
});

const fetchOptions = { timeoutMs: 10_000, maxBytes: 1024 * 1024 };

/** The reason a URL is skipped, or "fetched". */
async function outcome(url: string, privateNetwork: boolean, resolve?: HostResolver): Promise<string> {
  try {
    await fetchUrlBytes(url, { ...fetchOptions, privateNetwork, ...(resolve ? { resolve } : {}) });
    return 'fetched';
  } catch (e) {
    if (e instanceof SkippedImage) return e.reason;
    throw e;
  }
}

/** A resolver that answers from a table and records what it was asked; unknown names are an error. */
function resolverOf(table: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}

describe('the address policy', () => {
  it('lets only public unicast addresses through for others, and the private network too when the operator says so', () => {
    expect(addressRefusal('93.184.216.34', false)).toBeUndefined();
    expect(addressRefusal('2606:4700::1111', false)).toBeUndefined();
    const refusedForOthers: Record<string, RegExp> = {
      '127.0.0.1': /loopback/,
      '::1': /loopback/,
      '::ffff:127.0.0.1': /loopback.*127\.0\.0\.1/,
      '10.1.2.3': /private/,
      '172.16.0.1': /private/,
      '192.168.1.1': /private/,
      'fd12:3456::1': /private/,
      '100.64.0.1': /carrier-grade/,
    };
    for (const [address, reason] of Object.entries(refusedForOthers)) {
      expect(addressRefusal(address, false), address).toMatch(reason);
      expect(addressRefusal(address, true), address).toBeUndefined();
    }
    const alwaysRefused: Record<string, RegExp> = {
      '169.254.169.254': /link-local/,
      'fe80::1': /link-local/,
      'fd00:ec2::254': /metadata/,
      '100.100.100.200': /metadata/,
      '224.0.0.1': /multicast/,
      'ff02::1': /multicast/,
      '0.0.0.0': /unspecified/,
      '255.255.255.255': /broadcast/,
      '64:ff9b::a9fe:a9fe': /reserved/,
      '2002:a9fe:a9fe::1': /reserved/,
    };
    for (const [address, reason] of Object.entries(alwaysRefused)) {
      expect(addressRefusal(address, false), address).toMatch(reason);
      expect(addressRefusal(address, true), address).toMatch(reason);
    }
  });
});

describe('fetching a listed URL', () => {
  it('refuses loopback for others, by name or by address, before connecting; the local user may fetch it', async () => {
    const port = (server.address() as AddressInfo).port;
    expect(await outcome(`${base}/cat.jpg`, false)).toBe('refused URL (127.0.0.1 is a loopback address (127.0.0.1))');
    expect(await outcome(`http://localhost:${port}/cat.jpg`, false)).toMatch(/^refused URL \(localhost is a loopback address/);
    expect(await outcome(`http://[::ffff:7f00:1]:${port}/cat.jpg`, false)).toMatch(/^refused URL \(::ffff:7f00:1 is a loopback address \(127\.0\.0\.1\)\)/);
    // Another spelling of 127.0.0.1 that the URL parser normalises.
    expect(await outcome(`http://2130706433:${port}/cat.jpg`, false)).toMatch(/^refused URL \(127\.0\.0\.1 is a loopback/);
    expect(requests).toEqual([]);
    expect(connects).toEqual([]);
    expect(await outcome(`${base}/cat.jpg`, true)).toBe('fetched');
    expect(requests).toEqual(['/cat.jpg']);
  });

  it('refuses metadata and private addresses whatever the host is called, before any connection', async () => {
    const dns = resolverOf({
      'metadata.test': ['169.254.169.254'],
      'router.test': ['192.168.0.1'],
      'mixed.test': ['93.184.216.34', '10.0.0.8'],
    });
    expect(await outcome('http://169.254.169.254/latest/meta-data/', true)).toBe('refused URL (169.254.169.254 is a link-local address (169.254.169.254))');
    expect(await outcome('http://[fd00:ec2::254]/latest/meta-data/', true)).toBe('refused URL (fd00:ec2::254 is a cloud metadata address (fd00:ec2::254))');
    expect(await outcome('http://metadata.test/latest/meta-data/', true, dns)).toBe('refused URL (metadata.test is a link-local address (169.254.169.254))');
    expect(await outcome('https://router.test/admin.png', false, dns)).toBe('refused URL (router.test is a private network address (192.168.0.1))');
    // One bad address refuses the host, whichever one a connection would have used.
    expect(await outcome('http://mixed.test/a.jpg', false, dns)).toBe('refused URL (mixed.test is a private network address (10.0.0.8))');
    expect(dns.asked).toEqual(['metadata.test', 'router.test', 'mixed.test']);
    expect(connects).toEqual([]);
  });

  it('checks every redirect hop the same way, follows a bounded number, and refuses other schemes', async () => {
    const dns = resolverOf({ 'metadata.test': ['169.254.169.254'] });
    const to = (target: string) => `${base}/redirect?to=${encodeURIComponent(target)}`;
    expect(await outcome(to('/cat.jpg'), true)).toBe('fetched');
    expect(await outcome(to('http://169.254.169.254/latest/meta-data/iam'), true)).toBe('refused URL (169.254.169.254 is a link-local address (169.254.169.254))');
    expect(await outcome(to('http://metadata.test/secret-admin.png'), true, dns)).toBe('refused URL (metadata.test is a link-local address (169.254.169.254))');
    expect(await outcome(to('file:///etc/passwd'), true)).toBe('refused URL (a redirect to file:, not http or https)');
    expect(await outcome(`${base}/loop`, true)).toBe(`unreachable URL (more than ${MAX_REDIRECTS} redirects)`);
    expect(requests.filter((r) => r.startsWith('/loop'))).toHaveLength(MAX_REDIRECTS + 1);
    expect(new Set(connects)).toEqual(new Set(['127.0.0.1']));
  });
});

describe('ingesting for others', () => {
  let root: string;
  let outside: string;
  beforeAll(async () => {
    root = join(work, 'shared');
    outside = join(work, 'private');
    await writeBytes(join(root, 'ok.png'), await picture(32, 24, 24).png().toBuffer());
    await writeBytes(join(outside, 'secret.png'), await picture(33, 24, 24).png().toBuffer());
    await link(join(outside, 'secret.png'), join(root, 'link-to-secret.png'));
    await writeFile(
      join(root, 'listing.txt'),
      ['ok.png', '../private/secret.png', join(outside, 'secret.png'), 'link-to-secret.png', `${base}/cat.jpg`, `${base}/redirect?to=/cat.jpg`].join('\n'),
    );
  });

  const run = async (dataDir: string, source: string, access: IngestAccess): Promise<IngestResult> =>
    ingestImages({ store: archiveStore(dataDir), bundle: createScenesBundle(), archive: 'shared', source, access });

  it('confines listed paths to the roots and URLs to public addresses; the local CLI reads them all', async () => {
    const remote = await run(await tempDir('mirage-access-data-'), join(root, 'listing.txt'), remoteAccess({ ingestRoots: [root], ingestPrivateNetwork: false }));
    expect(remote.added).toBe(1);
    const outsideRoots = 'outside the folders this server may ingest from';
    const loopback = 'refused URL (127.0.0.1 is a loopback address (127.0.0.1))';
    expect(remote.skipped).toEqual([
      // "../private/secret.png", then the same file by its absolute path.
      { source: join(outside, 'secret.png'), reason: outsideRoots },
      { source: join(outside, 'secret.png'), reason: outsideRoots },
      { source: join(root, 'link-to-secret.png'), reason: outsideRoots },
      { source: `${base}/cat.jpg`, reason: loopback },
      { source: `${base}/redirect?to=/cat.jpg`, reason: loopback },
    ]);
    expect(requests).toEqual([]);

    const local = await run(await tempDir('mirage-access-data-'), join(root, 'listing.txt'), LOCAL_ACCESS);
    // ok.png, secret.png and cat.jpg; the second copies of secret.png and cat.jpg and the link are duplicates.
    expect(local.added).toBe(3);
    expect(local.duplicates).toBe(3);
    expect(local.skipped).toEqual([]);
  });

  it('refuses a source outside the roots, or any source when no root is set, and creates no archive', async () => {
    const dataDir = await tempDir('mirage-access-data-');
    await expect(run(dataDir, outside, remoteAccess({ ingestRoots: [root], ingestPrivateNetwork: false }))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: `${outside} is outside the folders this server may ingest from (MIRAGE_INGEST_ROOTS).`,
    });
    await expect(run(dataDir, join(root, 'link-to-secret.png'), remoteAccess({ ingestRoots: [root], ingestPrivateNetwork: false }))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(run(dataDir, root, remoteAccess({ ingestRoots: [], ingestPrivateNetwork: false }))).rejects.toThrow(/none is set \(MIRAGE_INGEST_ROOTS\)/);
    expect(await archiveStore(dataDir).list()).toEqual([]);
  });

  it('is what an engine from createRuntime does unless told its caller is local', async () => {
    const dataDir = await tempDir('mirage-access-data-');
    const config = loadConfig({ MIRAGE_DATA_DIR: dataDir, MIRAGE_INGEST_ROOTS: root });
    const request = { archive: 'shared', source: join(root, 'listing.txt'), embedder: 'scenes' };
    const remote = createRuntime(config).engine;
    const local = createRuntime(config, { ingestAccess: 'local' }).engine;
    try {
      const forOthers = await remote.ingest(request);
      expect(forOthers.added).toBe(1);
      expect(forOthers.skipped).toHaveLength(5);
      await expect(remote.ingest({ ...request, source: outside })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      const own = await local.ingest({ ...request, source: outside });
      expect(own.added).toBe(1);
      expect((await archiveStore(dataDir).open('shared')).manifest.count).toBe(2);
    } finally {
      await Promise.all([remote.close(), local.close()]);
    }
  });

  it('reads the operator settings from the environment', () => {
    expect(loadConfig({ MIRAGE_INGEST_ROOTS: `/srv/a:/srv/b`, MIRAGE_INGEST_PRIVATE_NETWORK: 'yes' })).toMatchObject({
      ingestRoots: ['/srv/a', '/srv/b'],
      ingestPrivateNetwork: true,
    });
    expect(loadConfig({})).toMatchObject({ ingestRoots: [], ingestPrivateNetwork: false });
    expect(() => loadConfig({ MIRAGE_INGEST_PRIVATE_NETWORK: 'maybe' })).toThrow(/ingestPrivateNetwork \(MIRAGE_INGEST_PRIVATE_NETWORK\)/);
  });
});
