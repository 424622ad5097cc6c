import { createHash } from 'node:crypto';
import type { StartedSignIn } from './cognito-users';
import { checkEmail, checkPhoneNumber } from './identifier';
import type { Logger } from './log';
import { withinNetworkLimit } from './network-limit';
import type { CodeMethod, Method } from './protocol';
import { ensureUser, type SignUpDeps } from './sign-up';
import type { StateStore } from './state-store';

export interface SignInStartDeps extends SignUpDeps {
  readonly store: Pick<StateStore, 'markSignUp' | 'countRequest'>;
  readonly methods: readonly Method[];
  readonly allowedCountryCodes: readonly string[];
  readonly maxRequestsPerIpPerMinute: number;
  readonly startSignIn: (username: string, choice: CodeMethod) => Promise<StartedSignIn>;
  readonly log: Logger;
  readonly now: () => number;
}

export interface SignInStartRequest {
  readonly identifier: unknown;
  readonly channel: unknown;
  /** The connection's source address (API Gateway's `sourceIp`), never a forwarded header (R9). */
  readonly sourceIp: string;
}

/** The outward result: `started` has the same shape for new, existing and unknown identifiers (R17). */
export type SignInStartResult =
  | { readonly kind: 'started'; readonly signIn: StartedSignIn }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'too-many-requests' };

const CHANNELS: Record<string, CodeMethod> = { email: 'email-otp', sms: 'sms-otp' };

/**
 * POST /sign-in (it exists only with auto sign-up): finds the user of an email address or phone number,
 * creates one when there is none, and starts the custom-auth sign-in with the code sent over `channel`.
 * The client gets Cognito's session and challenge parameters and answers the code challenge itself.
 */
export async function startSignIn(deps: SignInStartDeps, request: SignInStartRequest): Promise<SignInStartResult> {
  if (typeof request.identifier !== 'string') return invalid('identifier must be a string');
  // Own properties only: a channel such as "constructor" must not find Object.prototype's.
  const method = typeof request.channel === 'string' && Object.hasOwn(CHANNELS, request.channel) ? CHANNELS[request.channel] : undefined;
  if (!method) return invalid('channel must be "email" or "sms"');
  if (!deps.methods.includes(method)) return invalid(`channel ${request.channel as string} is not enabled`);
  const identifier = method === 'email-otp'
    ? checkEmail(request.identifier)
    : checkPhoneNumber(request.identifier, deps.allowedCountryCodes);
  if (!identifier.ok) return invalid(identifier.reason);

  const now = deps.now();
  if (!(await withinNetworkLimit(deps, 'sign-in', request.sourceIp, now))) {
    deps.log.info('request refused by the per-network limit');
    return { kind: 'too-many-requests' };
  }
  const user = await ensureUser(deps, identifier.attribute, identifier.value, now);
  const signIn = await deps.startSignIn(user.enabled ? user.username : standIn(deps.userPoolId, identifier.value), method);
  return { kind: 'started', signIn };
}

/**
 * The name a disabled user's sign-in is started under: UUID-shaped, held by no user, and the same for every request
 * about `identifier`, so Cognito answers as for an unknown user and repeats look like a real user's. Started under
 * its own name, Cognito would refuse a disabled user with a telling error.
 */
function standIn(userPoolId: string, identifier: string): string {
  const hex = createHash('sha256').update(`disabled\n${userPoolId}\n${identifier}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function invalid(message: string): SignInStartResult {
  return { kind: 'invalid', message };
}
