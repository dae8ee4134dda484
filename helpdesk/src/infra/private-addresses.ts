/**
 * Which addresses an outgoing webhook may not reach (issue 17): loopback, private (RFC 1918, RFC
 * 4193 unique local), link-local (incl. cloud metadata 169.254.169.254), carrier-grade NAT (RFC
 * 6598), unspecified and multicast — an admin's URL must not become a way into the pharmacy's own
 * network (server-side request forgery). ALLOW_PRIVATE_WEBHOOK_URLS=true lifts it (tests).
 */
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 3],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address (v4 or v6, incl. IPv4-mapped v6) is loopback, private, link-local or similar. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPrivateAddress(mapped);
  const family = isIP(address);
  if (family === 0) return false;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
