import { identifierKey } from './otp-code';
import { clientNetwork } from './source-ip';
import type { StateStore } from './state-store';

export interface NetworkLimit {
  readonly userPoolId: string;
  readonly store: Pick<StateStore, 'countRequest'>;
  readonly maxRequestsPerIpPerMinute: number;
}

/**
 * Counts a request of `route` against its client network (the source IP, or its IPv6 /64) in a fixed
 * one-minute window (R9): false once the limit is reached, and for a source that is not an IP address.
 * Only API Gateway's `sourceIp` is used, never a forwarded header.
 */
export async function withinNetworkLimit(limit: NetworkLimit, route: string, sourceIp: string, now: number): Promise<boolean> {
  const network = clientNetwork(sourceIp);
  if (!network) return false;
  const minute = Math.floor(now / 60_000);
  const key = 'ip#' + identifierKey(limit.userPoolId, `${route}\n${network}\n${minute}`);
  return limit.store.countRequest(key, limit.maxRequestsPerIpPerMinute, Math.ceil(now / 1000) + 120);
}
