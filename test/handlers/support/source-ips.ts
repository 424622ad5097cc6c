let count = 0;

/** A source address not used before in this test file, so that per-network limits stay out of tests that are not about them. */
export function freshSourceIp(): string {
  count += 1;
  return `10.${Math.floor(count / 65536) % 256}.${Math.floor(count / 256) % 256}.${count % 256}`;
}
