import { clientNetwork } from '../../lambda/core/source-ip';

test('an IPv4 address is its own network', () => {
  expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
  expect(clientNetwork('203.0.113.8')).not.toBe(clientNetwork('203.0.113.7'));
});

test('two IPv6 addresses in one /64 are one network, however they are written', () => {
  const network = clientNetwork('2001:db8:1:2::1');
  expect(network).toBe('2001:0db8:0001:0002::/64');
  expect(clientNetwork('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(network);
  expect(clientNetwork('2001:0DB8:0001:0002:0000:0000:0000:0abc')).toBe(network);
  expect(clientNetwork('2001:db8:1:2:a:b:1.2.3.4')).toBe(network);
});

test('IPv6 addresses in different /64s are different networks', () => {
  expect(clientNetwork('2001:db8:1:3::1')).not.toBe(clientNetwork('2001:db8:1:2::1'));
  expect(clientNetwork('2001:db8::1')).toBe('2001:0db8:0000:0000::/64');
  expect(clientNetwork('::1')).toBe('0000:0000:0000:0000::/64');
  expect(clientNetwork('1::2:3:4:5:1.2.3.4')).toBe('0001:0000:0002:0003::/64');
  expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0000:0000:0000::/64');
});

test('an IPv4-mapped IPv6 address is its IPv4 client, in every spelling', () => {
  expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
  expect(clientNetwork('::FFFF:203.0.113.7')).toBe('203.0.113.7');
  expect(clientNetwork('0:0:0:0:0:ffff:203.0.113.7')).toBe('203.0.113.7');
  expect(clientNetwork('::ffff:cb00:7107')).toBe('203.0.113.7');
  // Not one bucket shared by every mapped client.
  expect(clientNetwork('::ffff:198.51.100.1')).toBe('198.51.100.1');
});

test.each([
  [''],
  ['unknown'],
  ['203.0.113.7, 198.51.100.1'],
  ['203.0.113.256'],
  ['203.0.113'],
  ['2001:db8::1::2'],
  ['[2001:db8::1]'],
  ['203.0.113.7:443'],
  [' 203.0.113.7'],
])('garbage is no network: %j', (input) => {
  expect(clientNetwork(input)).toBeUndefined();
});
