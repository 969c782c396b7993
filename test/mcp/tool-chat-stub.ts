import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat-completions request as the agent sends it (only what the stub looks at). */
export interface ToolChatRequest {
  readonly model: string;
  readonly messages: readonly {
    readonly role: string;
    readonly content: unknown;
    readonly tool_calls?: readonly { id: string; function: { name: string; arguments: string } }[];
    readonly tool_call_id?: string;
  }[];
  readonly tools?: readonly { type: string; function: { name: string; parameters: { properties?: Record<string, unknown>; required?: string[] } } }[];
}

export interface StubToolCall {
  readonly name: string;
  readonly arguments: Record<string, unknown> | string;
}

/** What the scripted model answers: plain text, or tool calls. */
export type StubTurn = { readonly text: string } | { readonly calls: readonly StubToolCall[] };

/**
 * A local OpenAI-compatible server whose "model" is a function of the conversation so far, so
 * that it can react to tool results (pick an id it was shown) the way a real model would.
 */
export class ToolChatStub {
  readonly requests: ToolChatRequest[] = [];

  private constructor(private readonly server: Server) {}

  static async start(model: (request: ToolChatRequest) => StubTurn): Promise<ToolChatStub> {
    const server = createServer();
    const stub = new ToolChatStub(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ToolChatRequest;
        stub.requests.push(request);
        const turn = model(request);
        const n = stub.requests.length;
        const message =
          'text' in turn
            ? { role: 'assistant', content: turn.text }
            : {
                role: 'assistant',
                content: null,
                tool_calls: turn.calls.map((c, i) => ({
                  id: `call_${n}_${i}`,
                  type: 'function',
                  function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
                })),
              };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: `chatcmpl-${n}`,
            object: 'chat.completion',
            choices: [{ index: 0, message, finish_reason: 'text' in turn ? 'stop' : 'tool_calls' }],
            usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return stub;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
