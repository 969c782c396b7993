import ipaddr from 'ipaddr.js';

/**
 * Cloud instance-metadata endpoints that are not link-local (169.254.169.254 and fe80::/10 are
 * refused as link-local anyway): AWS over IPv6, Alibaba Cloud. They hand out credentials, so no
 * setting lets ingestion reach them.
 */
const METADATA_ADDRESSES: ReadonlySet<string> = new Set(['fd00:ec2::254', '100.100.100.200']);

/** Ranges an operator may open to ingestion (MIRAGE_INGEST_PRIVATE_NETWORK): this machine and the local network. */
const PRIVATE_RANGES: ReadonlySet<string> = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);

const RANGE_NAMES: Readonly<Record<string, string>> = {
  loopback: 'a loopback address',
  private: 'a private network address',
  uniqueLocal: 'a private network address',
  carrierGradeNat: 'a shared (carrier-grade NAT) address',
  linkLocal: 'a link-local address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
};

/**
 * Why ingestion must not connect to an IP address, or undefined when it may. Only public
 * unicast addresses are open to every ingestion; `privateNetwork` also opens loopback and
 * private ranges. Link-local (where cloud metadata lives), multicast, reserved ranges,
 * addresses that embed another address (IPv4-mapped excepted: those are judged as the IPv4
 * address) and metadata endpoints are always refused.
 */
export function addressRefusal(address: string, privateNetwork: boolean): string | undefined {
  if (!ipaddr.isValid(address)) return `not an IP address (${address})`;
  // "::ffff:127.0.0.1" is 127.0.0.1 to the kernel.
  const ip = ipaddr.process(address);
  const shown = ip.toString();
  if (METADATA_ADDRESSES.has(shown)) return `a cloud metadata address (${shown})`;
  const range = ip.range();
  if (range === 'unicast') return undefined;
  if (privateNetwork && PRIVATE_RANGES.has(range)) return undefined;
  return `${RANGE_NAMES[range] ?? `a reserved address (${range})`} (${shown})`;
}
