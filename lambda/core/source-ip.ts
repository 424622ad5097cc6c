import { isIPv4, isIPv6 } from 'node:net';

/**
 * The part of a source address that one client controls: the whole IPv4 address, or the /64 of an
 * IPv6 address (a single host is usually given a whole /64). Undefined for anything else.
 */
export function clientNetwork(sourceIp: string): string | undefined {
  if (isIPv4(sourceIp)) return sourceIp;
  if (!isIPv6(sourceIp)) return undefined;
  const groups = ipv6Groups(sourceIp);
  // An IPv4-mapped address (::ffff:a.b.c.d, however it is written) is an IPv4 client.
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [Math.floor(groups[6] / 256), groups[6] % 256, Math.floor(groups[7] / 256), groups[7] % 256].join('.');
  }
  return groups.slice(0, 4).map((group) => group.toString(16).padStart(4, '0')).join(':') + '::/64';
}

/** The eight 16-bit groups of a valid IPv6 address, with `::` expanded and a trailing dotted quad as two groups. */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number);
    text = `${text.slice(0, quad.index)}${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16));
}
