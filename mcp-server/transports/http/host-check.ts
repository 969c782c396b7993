/**
 * DNS-rebinding protection: a web page whose name an attacker re-points at 127.0.0.1 still
 * sends its own name in Host (and Origin), so only requests naming an allowed host get through.
 * Ports are ignored: the name is what a rebinding attack cannot fake.
 */
export function allowedRequestHosts(
  headers: { readonly host?: string | undefined; readonly origin?: string | undefined },
  allowed: ReadonlySet<string>,
): { ok: true } | { ok: false; reason: string } {
  if (!headers.host) return { ok: false, reason: 'Missing Host header' };
  const host = hostnameOf(`http://${headers.host}`);
  if (host === undefined || !allowed.has(host)) return { ok: false, reason: `Host not allowed: ${headers.host}` };
  // Browsers send Origin on cross-site requests; other clients usually send none.
  if (headers.origin !== undefined) {
    const origin = hostnameOf(headers.origin);
    if (origin === undefined || !allowed.has(origin)) return { ok: false, reason: `Origin not allowed: ${headers.origin}` };
  }
  return { ok: true };
}

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
