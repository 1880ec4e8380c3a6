import ipaddr from 'ipaddr.js';

/**
 * Which addresses a server-side fetch may connect to: public unicast only. Everything else
 * (loopback, private, link-local, unique-local, carrier-grade NAT, multicast, reserved, and IPv6
 * forms that embed an IPv4 address such as ::ffff:127.0.0.1 or 64:ff9b::/96) reaches the machine
 * itself or its network, which is what server-side request forgery aims at.
 */
const RANGE_RULES: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified address (0.0.0.0 or ::)',
  loopback: 'a loopback address',
  private: 'a private network address',
  linkLocal: 'a link-local address',
  uniqueLocal: 'a unique-local IPv6 address',
  carrierGradeNat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  reserved: 'a reserved address',
  benchmarking: 'a benchmarking address',
  amt: 'a reserved address',
  as112: 'a reserved address',
  as112v6: 'a reserved address',
  orchid2: 'a reserved address',
  droneRemoteIdProtocolEntityTags: 'a reserved address',
  ipv4Mapped: 'an IPv4-mapped IPv6 address',
  rfc6145: 'an IPv4-translated IPv6 address',
  rfc6052: 'an IPv4-embedding (NAT64) IPv6 address',
  '6to4': 'a 6to4 address',
  teredo: 'a Teredo address',
  deprecatedSiteLocal: 'a site-local IPv6 address',
};

/**
 * ::/96, the deprecated IPv4-compatible form ("::7f00:1" is 127.0.0.1): ipaddr.js calls it
 * unicast, but it only carries an IPv4 address, which is what the rules judge.
 */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

export type AddressVerdict = { allowed: true; address: string; family: 4 | 6 } | { allowed: false; address: string; rule: string };

/** Judges one IP address (IPv4-mapped IPv6 is judged as the IPv4 address it carries). */
export function judgeAddress(raw: string): AddressVerdict {
  const text = raw.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(text)) return { allowed: false, address: raw, rule: 'not an IP address' };
  const address = ipaddr.process(text);
  const range = address.range();
  if (range === 'unicast' && address.kind() === 'ipv6' && address.match(IPV4_COMPATIBLE)) {
    return { allowed: false, address: address.toString(), rule: 'an IPv4-compatible IPv6 address' };
  }
  if (range === 'unicast') return { allowed: true, address: address.toString(), family: address.kind() === 'ipv4' ? 4 : 6 };
  return { allowed: false, address: address.toString(), rule: RANGE_RULES[range] ?? `a ${range} address` };
}

/** A host name as a URL gives it, as an IP address when it is one ("[::1]" → "::1"). */
export function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(bare) ? bare : undefined;
}
