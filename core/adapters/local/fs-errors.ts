/** True when a Node file-system error carries this errno code ("ENOENT", "EEXIST", ...). */
export function isCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}

/** Runs a file operation and maps "no such file" to undefined. */
export async function unlessMissing<T>(operation: Promise<T>): Promise<T | undefined> {
  try {
    return await operation;
  } catch (e) {
    if (isCode(e, 'ENOENT')) return undefined;
    throw e;
  }
}
