import { isIP } from 'node:net';

/** Host names that always mean this machine (URL hostnames: IPv6 in brackets). */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Whether a bind address only accepts connections from this machine. */
export function isLoopbackBind(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** A bind address as it appears in a URL's hostname (IPv6 bracketed). */
export const urlHostname = (host: string): string => (isIP(host) === 6 ? `[${host}]` : host.toLowerCase());
