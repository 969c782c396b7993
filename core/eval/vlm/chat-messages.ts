/** The subset of the OpenAI chat-completions message format that the VLM and agent searchers send. */
export interface TextPart {
  readonly type: 'text';
  readonly text: string;
}

export interface ImageUrlPart {
  readonly type: 'image_url';
  /** A data URL (data:image/png;base64,...), so the server never fetches anything. */
  readonly image_url: { readonly url: string };
}

export type ContentPart = TextPart | ImageUrlPart;

/** A function call the model asks for; arguments are JSON text, as the model wrote them. */
export interface ToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

/** A function the model may call; parameters is a JSON Schema object. */
export interface FunctionTool {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description?: string; readonly parameters: Readonly<Record<string, unknown>> };
}

export type ChatMessage =
  | { readonly role: 'system' | 'user'; readonly content: string | readonly ContentPart[] }
  | { readonly role: 'assistant'; readonly content: string | null; readonly tool_calls?: readonly ToolCall[] }
  /** The result of one tool call; text only, since most servers accept no images here. */
  | { readonly role: 'tool'; readonly tool_call_id: string; readonly content: string };

export const textPart = (text: string): TextPart => ({ type: 'text', text });

export const imagePart = (dataUrl: string): ImageUrlPart => ({ type: 'image_url', image_url: { url: dataUrl } });
