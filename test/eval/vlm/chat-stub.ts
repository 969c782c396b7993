import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** What an OpenAI-compatible server requires of a chat-completions request with images. */
const requestSchema = z.looseObject({
  model: z.string().min(1),
  temperature: z.number(),
  top_p: z.number(),
  messages: z
    .array(
      z.object({
        role: z.enum(['system', 'user', 'assistant']),
        content: z.union([
          z.string(),
          z.array(
            z.discriminatedUnion('type', [
              z.object({ type: z.literal('text'), text: z.string().min(1) }),
              z.object({
                type: z.literal('image_url'),
                image_url: z.object({ url: z.string().regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+=*$/) }),
              }),
            ]),
          ),
        ]),
      }),
    )
    .min(1),
});

export type ChatRequestBody = z.output<typeof requestSchema>;

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: ChatRequestBody;
}

export interface StubReply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Objects go out as JSON, strings as they are. */
  readonly body?: unknown;
  /** Never answer (timeouts). */
  readonly hang?: boolean;
}

export const completion = (content: string, promptTokens: number, completionTokens: number): StubReply => ({
  body: {
    id: 'chatcmpl-stub',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  },
});

export const failure = (status: number, message: string, headers: Record<string, string> = {}): StubReply => ({
  status,
  headers,
  body: { error: { message, type: 'stub_error' } },
});

type UserMessage = ChatRequestBody['messages'][number];

function userMessage(request: RecordedRequest | undefined): UserMessage | undefined {
  return request?.body.messages.find((m) => m.role === 'user');
}

/** The data URLs of the user turn's images, in order. */
export function imageUrls(request: RecordedRequest | undefined): string[] {
  const user = userMessage(request);
  if (!user || typeof user.content === 'string') return [];
  return user.content.flatMap((part) => (part.type === 'image_url' ? [part.image_url.url] : []));
}

/** The user turn's part types in order, e.g. ['image_url', 'text']. */
export function partTypes(request: RecordedRequest | undefined): string[] {
  const user = userMessage(request);
  return !user || typeof user.content === 'string' ? [] : user.content.map((part) => part.type);
}

/** The user turn's text. */
export function promptText(request: RecordedRequest | undefined): string {
  const user = userMessage(request);
  if (!user) return '';
  if (typeof user.content === 'string') return user.content;
  return user.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}

/** The system message's text ('' when there is none). */
export function systemText(request: RecordedRequest | undefined): string {
  const system = request?.body.messages.find((m) => m.role === 'system');
  if (!system) return '';
  return typeof system.content === 'string' ? system.content : system.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
}

/**
 * A local OpenAI-compatible chat-completions server that answers from a script, then from an
 * optional responder that sees the request. Requests of the wrong method, path or shape get a
 * 404/422 the client cannot mistake for success.
 */
export class ChatStub {
  readonly requests: RecordedRequest[] = [];
  /** Every HTTP request that arrived, well-formed or not. */
  attempts = 0;
  private readonly script: StubReply[] = [];

  private constructor(
    private readonly server: Server,
    private readonly path: string,
    private readonly respond?: (body: ChatRequestBody) => StubReply,
  ) {}

  static async start(path = '/v1/chat/completions', respond?: (body: ChatRequestBody) => StubReply): Promise<ChatStub> {
    const server = createServer();
    const stub = new ChatStub(server, path, respond);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => stub.handle(req.method ?? '', req.url ?? '', req.headers, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return stub;
  }

  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Replies for the next requests, in order. */
  enqueue(...replies: StubReply[]): this {
    this.script.push(...replies);
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(method: string, path: string, headers: IncomingHttpHeaders, raw: string, res: ServerResponse): void {
    this.attempts += 1;
    if (method !== 'POST' || path !== this.path) {
      send(res, failure(404, `stub: no route for ${method} ${path}`));
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      send(res, failure(422, 'stub: body is not JSON'));
      return;
    }
    const parsed = requestSchema.safeParse(json);
    if (!parsed.success) {
      send(res, failure(422, `stub: bad request shape: ${JSON.stringify(parsed.error.issues[0])}`));
      return;
    }
    this.requests.push({ method, path, headers, body: parsed.data });
    const reply = this.script.shift() ?? this.respond?.(parsed.data);
    if (!reply) {
      send(res, failure(418, 'stub: no scripted reply left'));
      return;
    }
    if (reply.hang) return;
    send(res, reply);
  }
}

function send(res: ServerResponse, reply: StubReply): void {
  const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
  res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
  res.end(body);
}
