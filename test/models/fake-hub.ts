import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Prng } from '../../core/random/prng.js';

/**
 * A local stand-in for the model hub's file endpoints, enough for @huggingface/hub's listFiles
 * and downloadFile: the recursive tree listing (with LFS sha256 for big files, git blob ids for
 * small ones) and resolve/<revision>/<path> with Range support, the same files at every
 * revision. Faults can be injected per file.
 */
export interface FakeRepoFile {
  readonly path: string;
  readonly bytes: Buffer;
  /** Stored with LFS: the listing carries its sha256. */
  readonly lfs?: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly range?: string;
}

export class FakeHub {
  readonly requests: RecordedRequest[] = [];
  /** path -> bytes to send before dropping the connection, once, on the next body download. */
  readonly cutAfter = new Map<string, number>();
  /** path -> bytes served instead of the listed ones (the listing keeps the original hash). */
  readonly serveInstead = new Map<string, Buffer>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly repo: string,
    private readonly files: ReadonlyMap<string, FakeRepoFile>,
  ) {}

  static async start(repo: string, files: readonly FakeRepoFile[]): Promise<FakeHub> {
    let hub: FakeHub | undefined;
    const server = createServer((req, res) => hub?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    hub = new FakeHub(server, `http://127.0.0.1:${port}`, repo, new Map(files.map((f) => [f.path, f])));
    return hub;
  }

  /** Body downloads (not the one-byte size probes) of a file, at any revision. */
  downloadsOf(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.url.startsWith(`/${this.repo}/resolve/`) && r.url.endsWith(`/${path}`) && r.range !== 'bytes=0-0');
  }

  /** The revisions (branch or commit) that listings were asked for. */
  listedRevisions(): string[] {
    const prefix = `/api/models/${this.repo}/tree/`;
    return this.requests.filter((r) => r.url.startsWith(prefix)).map((r) => decodeURIComponent(r.url.slice(prefix.length)));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({ method: req.method ?? 'GET', url: url.pathname, ...(req.headers.range ? { range: req.headers.range } : {}) });
    // Every revision (the branch, or any commit id) serves the same files.
    const tree = new RegExp(`^/api/models/${this.repo}/tree/[^/]+$`);
    const resolved = new RegExp(`^/${this.repo}/resolve/[^/]+/(.+)$`).exec(url.pathname);
    if (tree.test(url.pathname)) return this.sendTree(res);
    if (resolved) return this.sendFile(decodeURIComponent(resolved[1] as string), req, res);
    res.writeHead(404, { 'Content-Type': 'application/json', 'X-Error-Code': 'RepoNotFound' });
    res.end(JSON.stringify({ error: 'Repository not found' }));
  }

  private sendTree(res: ServerResponse): void {
    const folders = new Set<string>();
    for (const path of this.files.keys()) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
    }
    const entries = [
      ...[...folders].map((path) => ({ type: 'directory', oid: gitBlobId(Buffer.from(path)), size: 0, path })),
      ...[...this.files.values()].map((f) => ({
        type: 'file',
        oid: gitBlobId(f.bytes),
        size: f.lfs ? 134 : f.bytes.length,
        path: f.path,
        ...(f.lfs ? { lfs: { oid: sha256(f.bytes), size: f.bytes.length, pointerSize: 134 } } : {}),
      })),
    ];
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(entries));
  }

  private sendFile(path: string, req: IncomingMessage, res: ServerResponse): void {
    const file = this.files.get(path);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'application/json', 'X-Error-Code': 'EntryNotFound' });
      res.end(JSON.stringify({ error: 'Entry not found' }));
      return;
    }
    const bytes = this.serveInstead.get(path) ?? file.bytes;
    const etag = `"${file.lfs ? sha256(file.bytes) : gitBlobId(file.bytes)}"`;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range && range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
    if (range && start >= bytes.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` });
      res.end();
      return;
    }
    const body = bytes.subarray(start, end + 1);
    res.writeHead(range ? 206 : 200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(body.length),
      'Accept-Ranges': 'bytes',
      ETag: etag,
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${bytes.length}` } : {}),
    });
    const cut = req.headers.range === 'bytes=0-0' ? undefined : this.cutAfter.get(path);
    if (cut === undefined) {
      res.end(body);
      return;
    }
    this.cutAfter.delete(path);
    // Send part of the body, give the client time to read it, then drop the connection.
    res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 400));
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The id git gives a blob: sha1 over "blob <size>\0" and the bytes. */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export function randomBytesFrom(seed: number, length: number): Buffer {
  const prng = new Prng(seed);
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = prng.int(0, 255);
  return bytes;
}
