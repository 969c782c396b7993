import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, ListResourcesRequestSchema, McpError, type ListResourcesResult, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { invalidInput, MirageError } from '../core/errors.js';
import { clientImage } from '../core/images/client-image.js';
import type { EncodedImage } from '../core/images/raw-image.js';
import type { ResolvedOptions } from './options.js';
import type { ToolContext } from './tool-context.js';
import { archiveImageUri, uriVariable, URI_TEMPLATES } from './uris.js';

/**
 * A resource's image as clients get it: re-encoded within the resource cap, without the stored
 * file's metadata (see clientImage), never the original bytes. The image is read when its turn
 * to be encoded comes, so waiting requests hold no originals.
 */
async function imageContents(uri: URL, read: () => Promise<EncodedImage>, options: ResolvedOptions): Promise<ReadResourceResult> {
  const served = await clientImage(async () => (await read()).bytes, { maxBytes: options.maxResourceBytes, mime: options.imageMime });
  return { contents: [{ uri: uri.toString(), mimeType: served.mime, blob: served.bytes.toString('base64') }] };
}

/**
 * The images behind the resource links of tool results, as large as the resource cap allows:
 * archive images (listed, paged, for small archives), synthetic images this client was shown,
 * and the target of this client's evaluations. While an evaluation is open, archive images are
 * only those it showed, and none are listed.
 */
export function registerImageResources(server: McpServer, ctx: ToolContext): void {
  const { engine, state, options } = ctx;
  const archiveNames = async (prefix: string) =>
    (await engine.listArchives()).map((m) => m.name).filter((name) => name.startsWith(prefix));

  server.registerResource(
    'archive-image',
    new ResourceTemplate(URI_TEMPLATES.archiveImage, { list: undefined, complete: { archive: archiveNames } }),
    { title: 'Archive image', description: 'An image of a Mirage archive, as large as the resource size cap allows.' },
    async (uri, variables) => {
      const archive = uriVariable(variables, 'archive');
      const id = uriVariable(variables, 'id');
      state.assertMayShowArchiveImage(archive, id);
      return imageContents(uri, () => engine.getImage({ kind: 'archive', archive, id }), options);
    },
  );

  server.registerResource(
    'synthetic-image',
    new ResourceTemplate(URI_TEMPLATES.synthetic, { list: undefined }),
    { title: 'Synthetic image', description: 'How Mirage pictured a description.', mimeType: options.imageMime },
    async (uri, variables) => {
      const id = uriVariable(variables, 'id');
      if (!state.wasShown(id)) throw new MirageError('UNKNOWN_IMAGE', `Synthetic image "${id}" was not shown to this client.`);
      return imageContents(uri, () => engine.getImage({ kind: 'synthetic', id }), options);
    },
  );

  server.registerResource(
    'evaluation-target',
    new ResourceTemplate(URI_TEMPLATES.evaluationTarget, { list: undefined }),
    { title: 'Evaluation target', description: 'The image an evaluation searcher remembers.', mimeType: options.imageMime },
    async (uri, variables) => {
      const sessionId = uriVariable(variables, 'session');
      const evaluation = state.evaluationRecord(sessionId);
      if (!evaluation) throw invalidInput(`Session "${sessionId}" is not an evaluation; it has no target.`);
      const { archive, targetId } = evaluation.plan;
      // Re-encoded like every served image: nothing but the pixels (no file metadata) reaches the searcher.
      return imageContents(uri, () => engine.getImage({ kind: 'archive', archive, id: targetId }), options);
    },
  );

  // McpServer's own resources/list ignores cursors; archive listings need pages.
  server.server.setRequestHandler(ListResourcesRequestSchema, (request) => listArchiveImages(ctx, request.params?.cursor));
}

const cursorSchema = z.object({ archive: z.string(), offset: z.number().int().min(0) });
type Cursor = z.infer<typeof cursorSchema>;

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(text: string | undefined): Cursor {
  if (text === undefined) return { archive: '', offset: 0 };
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new McpError(ErrorCode.InvalidParams, 'Invalid resources/list cursor: pass back a nextCursor exactly as received.');
  }
}

/**
 * One page of archive images, archives in name order. The cursor names an archive rather
 * than a position, so an archive created between pages does not shift the rest.
 */
async function listArchiveImages({ engine, options, state }: ToolContext, cursorText?: string): Promise<ListResourcesResult> {
  const { browser, listMaxImages, listPageSize } = options;
  const cursor = decodeCursor(cursorText);
  // During an evaluation a listing would be a catalogue to search for the target in.
  if (!browser || !state.mayListArchiveImages()) return { resources: [] };
  const names = (await engine.listArchives())
    .filter((m) => m.count > 0 && m.count <= listMaxImages && m.name >= cursor.archive)
    .map((m) => m.name)
    .sort();
  const resources: ListResourcesResult['resources'] = [];
  let offset = names[0] === cursor.archive ? cursor.offset : 0;
  for (const [i, name] of names.entries()) {
    const images = await browser.images(name);
    const room = listPageSize - resources.length;
    const ids = images.ids.slice(offset, offset + room);
    for (const id of ids) {
      const caption = images.caption(id);
      resources.push({ uri: archiveImageUri(name, id), name: `${name}/${id}`, ...(caption ? { description: caption } : {}) });
    }
    offset += ids.length;
    if (resources.length === listPageSize) {
      const next = offset < images.ids.length ? { archive: name, offset } : names[i + 1] !== undefined ? { archive: names[i + 1] as string, offset: 0 } : undefined;
      return { resources, ...(next ? { nextCursor: encodeCursor(next) } : {}) };
    }
    offset = 0;
  }
  return { resources };
}
