/**
 * Reads attributes out of captions, for the `verbal` strategy: it asks about the attribute on
 * which the retrieved candidates' captions disagree most (as PlugIR does).
 */
export interface AttributeReader {
  /** Attribute name -> value, for the attributes the caption states. */
  attributesOf(caption: string): Record<string, string>;
  /** A natural-language question about one attribute, given the values seen among candidates. */
  question(attribute: string, values: readonly string[]): string;
}
