import { randomBytes } from 'node:crypto';
import type { PoolUser } from './cognito-users';
import type { LinkEmailConfig } from './config';
import { deliverableValue } from './destination';
import { checkEmailAddress } from './email-address';
import type { EmailMessage } from './email-sender';
import { expiryOf, planCodeRequest, type SendLimits } from './identifier-state';
import { errorName, keyRef, type Logger } from './log';
import { encodePayload, formatToken, NONCE_BYTES, nonceHash, signedMessage } from './magic-link-token';
import { withinNetworkLimit } from './network-limit';
import { identifierKey } from './otp-code';
import { allowedRedirect } from './redirect-allow-list';
import type { SendLatency } from './send-latency';
import { ensureUser, type SignUpDeps } from './sign-up';
import type { StateStore } from './state-store';

/** The table operations a link request uses. */
export type LinkRequestStore = Pick<StateStore, 'load' | 'save' | 'countRequest' | 'withdrawLink'>;

export interface MagicLinkRequestDeps {
  readonly userPoolId: string;
  readonly store: LinkRequestStore;
  readonly limits: SendLimits;
  readonly linkTtlMs: number;
  readonly redirectUris: readonly string[];
  readonly maxRequestsPerIpPerMinute: number;
  readonly email: LinkEmailConfig;
  readonly findUser: (email: string) => Promise<PoolUser | undefined>;
  /** With auto sign-up: the user of an email address, created when there is none (see ensureUser). */
  readonly signUp?: SignUpDeps;
  readonly sign: (message: Buffer) => Promise<Buffer>;
  readonly sendEmail: (message: EmailMessage) => Promise<void>;
  readonly latency: SendLatency;
  readonly log: Logger;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface MagicLinkRequest {
  readonly email: unknown;
  readonly redirectUri: unknown;
  /** The connection's source address (API Gateway's `sourceIp`), never a forwarded header (R9). */
  readonly sourceIp: string;
}

/** The outward result: `accepted` is the same for every well-formed request (R17). */
export type MagicLinkResult =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'too-many-requests' };

/** Thrown when a link could not be delivered; the link was withdrawn first. */
export class LinkDeliveryError extends Error {
  constructor(cause: unknown) {
    super('Could not deliver the magic link', { cause });
    this.name = 'LinkDeliveryError';
  }
}

/**
 * POST /magic-link: validates the request, applies the per-network limit, and sends a link only to a
 * known, enabled user's verified email (or, with auto sign-up, creates the user and sends it to the
 * new, still unverified address), within the identifier's cooldown, quota and failure limits.
 * The newest link voids earlier links and codes (R7). Every other well-formed request does the same
 * table work, waits about as long as a real send, and gets the same answer.
 */
export async function requestMagicLink(deps: MagicLinkRequestDeps, request: MagicLinkRequest): Promise<MagicLinkResult> {
  if (typeof request.email !== 'string') return invalid('email must be a string');
  if (typeof request.redirectUri !== 'string') return invalid('redirectUri must be a string');
  const address = checkEmailAddress(request.email);
  if (!address.ok) return invalid(address.reason);
  const redirect = allowedRedirect(request.redirectUri, deps.redirectUris);
  if (!redirect) return invalid('redirectUri is not one of the allowed redirect URLs');

  const now = deps.now();
  if (!(await withinNetworkLimit(deps, 'magic-link', request.sourceIp, now))) {
    deps.log.info('request refused by the per-network limit');
    return { kind: 'too-many-requests' };
  }

  const user = deps.signUp ? await ensureUser(deps.signUp, 'email', address.email, now) : await deps.findUser(address.email);
  const key = identifierKey(deps.userPoolId, user?.username ?? address.email);
  const state = await deps.store.load(key);
  const deliverable = user?.enabled ? deliverableValue('email', user.attributes, deps.signUp && state.pendingSignUp) : undefined;
  // The link goes to the address as the pool stores it, never to the request's spelling of it (R18).
  const destination = deliverable?.toLowerCase() === address.email ? deliverable : undefined;
  const plan = planCodeRequest(state, now, deps.limits);
  if (!plan.allowed) return decoy(deps, key, plan.reason);

  const nonce = randomBytes(NONCE_BYTES);
  const link = destination ? { hash: nonceHash(nonce), expiresAt: now + deps.linkTtlMs } : undefined;
  const saved = await deps.store.save(key, state.version, {
    // A new link voids the code; a request that sends nothing leaves the current secrets alone.
    code: link ? undefined : state.code,
    link: link ?? state.link,
    sends: plan.sends,
    failures: plan.failures,
    pendingSignUp: state.pendingSignUp,
  }, expiryOf(now, deps.limits));
  if (!saved) return decoy(deps, key, 'busy');
  if (!user || !destination || !link) return decoy(deps, key, 'undeliverable');

  const started = performance.now();
  try {
    const payload = encodePayload({ expiresAt: Math.floor(link.expiresAt / 1000), nonce, email: address.email });
    const signature = await deps.sign(signedMessage(deps.userPoolId, user.username, payload));
    await deps.sendEmail(linkEmail(deps, destination, `${redirect}#${formatToken(payload, signature)}`));
  } catch (error) {
    // Not thrown when it fails: the link then stays until it expires, known to nobody.
    const withdrawn = await deps.store.withdrawLink(key, link.hash, state.sends).then(() => true, () => false);
    deps.log.error('link delivery failed', { key: keyRef(key), cause: errorName(error), withdrawn });
    throw new LinkDeliveryError(error);
  }
  deps.latency.observe(performance.now() - started);
  deps.log.info('link sent', { key: keyRef(key) });
  return { kind: 'accepted' };
}

function linkEmail(deps: MagicLinkRequestDeps, to: string, link: string): EmailMessage {
  const minutes = String(Math.round(deps.linkTtlMs / 60_000));
  const render = (template: string, value: string) => template.split('{link}').join(value).split('{minutes}').join(minutes);
  return {
    from: deps.email.from,
    to,
    subject: deps.email.subject,
    text: render(deps.email.textBody, link),
    html: deps.email.htmlBody ? render(deps.email.htmlBody, escapeHtml(link)) : undefined,
    configurationSet: deps.email.configurationSet,
  };
}

async function decoy(deps: MagicLinkRequestDeps, key: string, outcome: string): Promise<MagicLinkResult> {
  await deps.sleep(deps.latency.decoyDelayMs());
  deps.log.info('no link sent', { key: keyRef(key), outcome });
  return { kind: 'accepted' };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function invalid(message: string): MagicLinkResult {
  return { kind: 'invalid', message };
}
