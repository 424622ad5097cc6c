import type { PoolUser } from './cognito-users';
import type { OtpLimits } from './config';
import { type Channels, DeliveryError } from './delivery';
import { hasVerifiedIdentifier } from './destination';
import { attributeLabel, checkEmail, checkPhoneNumber, type IdentifierCheck } from './identifier';
import { expiryOf, failureMemory, planCodeRequest, type SignUpAttribute } from './identifier-state';
import { errorName, keyRef, type Logger } from './log';
import { withinNetworkLimit } from './network-limit';
import { answerMatches, generateCode, hashCode, identifierKey, newSalt } from './otp-code';
import { ATTRIBUTE_PURPOSE } from './protocol';
import type { CodeStore, StateStore } from './state-store';

export interface AttributeChangeDeps {
  readonly userPoolId: string;
  readonly store: CodeStore & Pick<StateStore, 'countRequest'>;
  /** `email-otp` sends to email addresses, `sms-otp` to phone numbers; phone numbers need the latter. */
  readonly channels: Channels;
  readonly limits: OtpLimits;
  readonly allowedCountryCodes: readonly string[];
  readonly maxRequestsPerIpPerMinute: number;
  /** The signed-in user behind an access token (Cognito GetUser, so revoked tokens fail). */
  readonly userOfToken: (accessToken: string) => Promise<PoolUser | undefined>;
  readonly findUser: (identifier: string) => Promise<PoolUser | undefined>;
  readonly writeAttributes: (username: string, attributes: Readonly<Record<string, string>>) => Promise<void>;
  readonly deleteUser: (username: string) => Promise<void>;
  readonly log: Logger;
  readonly now: () => number;
}

/** The fields of `POST /attributes`; `code` only in `POST /attributes/verify`. */
export interface AttributeRequest {
  readonly accessToken: string | undefined;
  readonly email?: unknown;
  readonly phoneNumber?: unknown;
  readonly givenName?: unknown;
  readonly familyName?: unknown;
  readonly code?: unknown;
  readonly sourceIp: string;
}

export type AttributeResult =
  | { readonly kind: 'code-sent'; readonly attribute: SignUpAttribute }
  | { readonly kind: 'updated' }
  | { readonly kind: 'verified'; readonly attribute: SignUpAttribute }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'too-many-requests'; readonly message: string }
  | { readonly kind: 'wrong-code'; readonly attribute: SignUpAttribute }
  | { readonly kind: 'taken'; readonly attribute: SignUpAttribute };

const MAX_NAME_LENGTH = 256;

/**
 * POST /attributes: a signed-in user adds or changes their email address or phone number, and/or sets
 * given and family name. The new value is not written to the pool: a code bound to this user, the
 * attribute and the value (R13) goes to it, and only `verifyAttributeChange` writes it, verified. Until
 * then the old value keeps working and the new one is used for nothing (R18).
 */
export async function startAttributeChange(deps: AttributeChangeDeps, request: AttributeRequest): Promise<AttributeResult> {
  const names = profileNames(request);
  if (typeof names === 'string') return invalid(names);
  const change = request.email !== undefined || request.phoneNumber !== undefined ? newValue(deps, request) : undefined;
  if (change && !change.ok) return invalid(change.reason);
  if (!change && Object.keys(names).length === 0) return invalid('send email, phoneNumber, givenName or familyName');

  const now = deps.now();
  if (!(await withinNetworkLimit(deps, 'attributes', request.sourceIp, now))) return tooManyFromNetwork();
  const user = request.accessToken ? await deps.userOfToken(request.accessToken) : undefined;
  if (!user) return { kind: 'unauthorized' };
  if (change?.ok) {
    const { attribute, value } = change;
    if (user.attributes[attribute] === value && user.attributes[`${attribute}_verified`] === 'true') {
      return invalid(`this ${attributeLabel(attribute)} is already verified on your account`);
    }
    const refusal = await sendCode(deps, user.username, attribute, value, now);
    if (refusal) return refusal;
  }
  if (Object.keys(names).length > 0) await deps.writeAttributes(user.username, names);
  return change?.ok ? { kind: 'code-sent', attribute: change.attribute } : { kind: 'updated' };
}

/**
 * POST /attributes/verify: checks the code sent to the new value (attempt limit, single use, failure
 * window as for sign-in codes), then writes the value as verified. A value another user has verified
 * is refused after the check, which proved control of it, so the refusal reveals nothing new; an
 * account that only an unfinished auto sign-up created for it is removed first.
 */
export async function verifyAttributeChange(deps: AttributeChangeDeps, request: AttributeRequest): Promise<AttributeResult> {
  if (request.email !== undefined && request.phoneNumber !== undefined) return invalid('send either email or phoneNumber, not both');
  if (request.email === undefined && request.phoneNumber === undefined) return invalid('send the email or phoneNumber being verified');
  const change = newValue(deps, request);
  if (!change.ok) return invalid(change.reason);
  if (typeof request.code !== 'string') return invalid('code must be a string');
  const now = deps.now();
  if (!(await withinNetworkLimit(deps, 'attributes-verify', request.sourceIp, now))) return tooManyFromNetwork();
  const user = request.accessToken ? await deps.userOfToken(request.accessToken) : undefined;
  if (!user) return { kind: 'unauthorized' };

  const { attribute, value } = change;
  const key = changeKey(deps.userPoolId, user.username);
  // A reserved attempt counts as a failure until the code is consumed; an answer with no code to check counts here.
  const code = await deps.store.reserveAttempt(key, now, deps.limits.maxAttempts, ATTRIBUTE_PURPOSE);
  const right = code !== undefined && answerMatches(request.code, deps.limits.codeLength, code, boundKey(key, attribute, value));
  const consumed = right ? await deps.store.consume(key, code.hash) : undefined;
  if (!consumed) {
    if (!code) await deps.store.recordFailure(key, now, expiryOf(now, deps.limits), failureMemory(deps.limits));
    deps.log.info('attribute code rejected', { key: keyRef(key), attribute });
    return { kind: 'wrong-code', attribute };
  }

  const holder = await deps.findUser(value);
  if (holder && holder.username !== user.username) {
    if (!(await isUnfinishedSignUp(deps, holder))) {
      deps.log.info('attribute belongs to another user', { key: keyRef(key), attribute });
      return { kind: 'taken', attribute };
    }
    await deps.deleteUser(holder.username);
    deps.log.info('unfinished sign-up removed for a verified attribute change', { key: keyRef(key), attribute });
  }
  try {
    await deps.writeAttributes(user.username, { [attribute]: value, [`${attribute}_verified`]: 'true' });
  } catch (error) {
    if ((error as Error).name === 'AliasExistsException') return { kind: 'taken', attribute };
    throw error;
  }
  deps.log.info('attribute verified', { key: keyRef(key), attribute });
  return { kind: 'verified', attribute };
}

/** Issues and sends the code for `value`; a refusal when a limit says no. The code is void if delivery fails. */
async function sendCode(
  deps: AttributeChangeDeps,
  username: string,
  attribute: SignUpAttribute,
  value: string,
  now: number,
): Promise<AttributeResult | undefined> {
  const method = attribute === 'email' ? 'email-otp' : 'sms-otp';
  const send = deps.channels[method]!;
  const key = changeKey(deps.userPoolId, username);
  const state = await deps.store.load(key);
  const plan = planCodeRequest(state, now, deps.limits);
  if (!plan.allowed) {
    deps.log.info('no attribute code sent', { key: keyRef(key), outcome: plan.reason });
    return { kind: 'too-many-requests', message: 'A code was sent recently or too many codes were asked for; try again later.' };
  }
  const code = generateCode(deps.limits.codeLength);
  const salt = newSalt();
  const issued = {
    hash: hashCode(salt, ATTRIBUTE_PURPOSE, boundKey(key, attribute, value), code),
    salt,
    purpose: ATTRIBUTE_PURPOSE,
    expiresAt: now + deps.limits.codeTtlMs,
    attempts: 0,
  };
  const saved = await deps.store.save(key, state.version, { code: issued, sends: plan.sends, failures: plan.failures }, expiryOf(now, deps.limits));
  if (!saved) return { kind: 'too-many-requests', message: 'Another request for your account is in progress; try again.' };
  try {
    await send(value, code);
  } catch (error) {
    // Not thrown when it fails: see requestSignInCode.
    const withdrawn = await deps.store.withdraw(key, issued.hash, state.sends).then(() => true, () => false);
    deps.log.error('attribute code delivery failed', { key: keyRef(key), attribute, cause: errorName(error), withdrawn });
    throw new DeliveryError(method, error);
  }
  deps.log.info('attribute code sent', { key: keyRef(key), attribute });
  return undefined;
}

function newValue(deps: AttributeChangeDeps, request: AttributeRequest): IdentifierCheck {
  if (request.email !== undefined && request.phoneNumber !== undefined) return { ok: false, reason: 'send either email or phoneNumber, not both' };
  if (request.email !== undefined) {
    return typeof request.email === 'string' ? checkEmail(request.email) : { ok: false, reason: 'email must be a string' };
  }
  if (!deps.channels['sms-otp']) return { ok: false, reason: 'phone numbers are not enabled' };
  if (typeof request.phoneNumber !== 'string') return { ok: false, reason: 'phoneNumber must be a string' };
  return checkPhoneNumber(request.phoneNumber, deps.allowedCountryCodes);
}

/** given_name and family_name to write, or the message of a 400. */
function profileNames(request: AttributeRequest): Record<string, string> | string {
  const names: Record<string, string> = {};
  for (const [field, attribute] of [['givenName', 'given_name'], ['familyName', 'family_name']] as const) {
    const value = request[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') return `${field} must be a string`;
    const trimmed = value.trim();
    // eslint-disable-next-line no-control-regex
    if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(trimmed)) {
      return `${field} must be 1 to ${MAX_NAME_LENGTH} characters without control characters`;
    }
    names[attribute] = trimmed;
  }
  return names;
}

/** An account whose one identifier is still the unverified one an auto sign-up created it with. */
async function isUnfinishedSignUp(deps: AttributeChangeDeps, holder: PoolUser): Promise<boolean> {
  if (hasVerifiedIdentifier(holder.attributes)) return false;
  const state = await deps.store.load(identifierKey(deps.userPoolId, holder.username));
  return state.pendingSignUp !== undefined;
}

/** The table item of a user's attribute changes: apart from the sign-in item, so neither voids the other's code. */
function changeKey(userPoolId: string, username: string): string {
  return identifierKey(userPoolId, `attribute-change\n${username}`);
}

/** What an attribute code is bound to, besides its purpose: the user's item, the attribute and the value (R13). */
function boundKey(key: string, attribute: SignUpAttribute, value: string): string {
  return `${key}\n${attribute}\n${value}`;
}

function tooManyFromNetwork(): AttributeResult {
  return { kind: 'too-many-requests', message: 'Too many requests from this address; try again in a minute.' };
}

function invalid(message: string): AttributeResult {
  return { kind: 'invalid', message };
}
