/** The subset of the OpenAI chat-completions message format that the VLM searcher sends. */
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

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string | readonly ContentPart[];
}

export const textPart = (text: string): TextPart => ({ type: 'text', text });

export const imagePart = (dataUrl: string): ImageUrlPart => ({ type: 'image_url', image_url: { url: dataUrl } });
