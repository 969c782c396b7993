export interface AttributeChoice {
  readonly attribute: string;
  /** Distinct values seen among the candidates, most frequent first. */
  readonly values: readonly string[];
  /** Coverage-weighted entropy, in bits. */
  readonly entropy: number;
}

/**
 * Picks the attribute on which the candidates disagree most, as PlugIR does with the captions
 * of retrieved images. Entropy is computed over the candidates that state the attribute and
 * weighted by the share that do, so an attribute of one rare object does not win by default.
 * Attributes asked in earlier rounds are skipped while others remain; ties go to the
 * alphabetically first attribute so the question is deterministic.
 */
export function mostUncertainAttribute(
  candidates: readonly Readonly<Record<string, string>>[],
  alreadyAsked: ReadonlySet<string> = new Set(),
): AttributeChoice | undefined {
  const counts = new Map<string, Map<string, number>>();
  for (const attributes of candidates) {
    for (const [attribute, value] of Object.entries(attributes)) {
      const values = counts.get(attribute) ?? new Map<string, number>();
      values.set(value, (values.get(value) ?? 0) + 1);
      counts.set(attribute, values);
    }
  }
  const choices: AttributeChoice[] = [];
  for (const [attribute, values] of counts) {
    const stated = [...values.values()].reduce((a, b) => a + b, 0);
    let entropy = 0;
    for (const n of values.values()) {
      const p = n / stated;
      entropy -= p * Math.log2(p);
    }
    const ordered = [...values.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
    choices.push({ attribute, values: ordered, entropy: entropy * (stated / candidates.length) });
  }
  const fresh = choices.filter((c) => !alreadyAsked.has(c.attribute));
  const pool = (fresh.length > 0 ? fresh : choices).filter((c) => c.entropy > 0);
  pool.sort((a, b) => b.entropy - a.entropy || a.attribute.localeCompare(b.attribute));
  return pool[0];
}
