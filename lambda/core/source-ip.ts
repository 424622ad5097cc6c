import { isIPv4, isIPv6 } from 'node:net';

/**
 * The part of a source address that one client controls: the whole IPv4 address, or the /64 of an
 * IPv6 address (a single host is usually given a whole /64). Undefined for anything else.
 */
export function clientNetwork(sourceIp: string): string | undefined {
  if (isIPv4(sourceIp)) return sourceIp;
  if (!isIPv6(sourceIp)) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(sourceIp);
  if (mapped) return mapped[1];
  return expandIPv6(sourceIp).slice(0, 4).join(':') + '::/64';
}

function expandIPv6(address: string): string[] {
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  const groups = address.includes('::') ? [...left, ...Array(missing).fill('0'), ...right] : left;
  return groups.map((group) => group.padStart(4, '0'));
}
