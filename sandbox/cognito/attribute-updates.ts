import { isVerifiable, STANDARD_ATTRIBUTES, type Verifiable } from './attributes';
import { CognitoError } from './errors';
import type { LocalPool } from './local-pool';
import { codeDeliveryDetails, type CognitoMessages } from './messages';
import type { UserRecord } from './user-directory';

export type CodeDeliveryDetails = ReturnType<typeof codeDeliveryDetails>;

/**
 * Applies UpdateUserAttributes / AdminUpdateUserAttributes. A new email or phone number is unverified
 * and gets a code; where the pool keeps original values until verification, the new value waits in
 * `pending` and the old one keeps working. Only an admin may set `*_verified`.
 */
export function updateAttributes(
  pool: LocalPool,
  messages: CognitoMessages,
  user: UserRecord,
  updates: Record<string, string>,
  admin: boolean,
): CodeDeliveryDetails[] {
  checkNames(pool, updates);
  pool.users.checkValues(updates);
  // All checks first, so that a refused update changes nothing.
  for (const [name, value] of Object.entries(updates)) {
    if (isVerifiable(name) && user.attributes[name] !== value) refuseTakenValue(pool, user, name, value);
  }
  const deliveries: CodeDeliveryDetails[] = [];
  for (const [name, value] of Object.entries(updates)) {
    if (isVerifiable(name)) {
      const delivery = updateVerifiable(pool, messages, user, name, value, admin && updates[`${name}_verified`] === 'true');
      if (delivery) deliveries.push(delivery);
    } else if (!name.endsWith('_verified') || admin) {
      user.attributes[name] = value;
    }
  }
  user.modified = new Date();
  return deliveries;
}

function updateVerifiable(
  pool: LocalPool,
  messages: CognitoMessages,
  user: UserRecord,
  name: Verifiable,
  value: string,
  verifiedByAdmin: boolean,
): CodeDeliveryDetails | undefined {
  if (user.attributes[name] === value && !user.pending[name]) return undefined;
  if (verifiedByAdmin) {
    user.attributes[name] = value;
    user.attributes[`${name}_verified`] = 'true';
    delete user.pending[name];
    return undefined;
  }
  const keepOriginal = pool.model.attributesRequireVerificationBeforeUpdate.includes(name) && user.attributes[name] !== undefined;
  if (keepOriginal) {
    user.pending[name] = value;
  } else {
    user.attributes[name] = value;
    user.attributes[`${name}_verified`] = 'false';
  }
  if (!keepOriginal && !pool.model.autoVerifiedAttributes.includes(name)) return undefined;
  return sendVerificationCode(pool, messages, user, name);
}

/** GetUserAttributeVerificationCode, and the code an update sends: to the pending value if there is one. */
export function sendVerificationCode(
  pool: LocalPool,
  messages: CognitoMessages,
  user: UserRecord,
  name: string,
): CodeDeliveryDetails {
  if (!isVerifiable(name)) throw new CognitoError('InvalidParameterException', 'Invalid attribute name: only email and phone_number can be verified.');
  const destination = user.pending[name] ?? user.attributes[name];
  if (destination === undefined) {
    throw new CognitoError('InvalidParameterException', `User does not have an ${name} attribute.`);
  }
  const code = pool.verificationCodes.issue(user.username, name, destination);
  const text = `Your verification code is ${code}.`;
  messages.send(name === 'email'
    ? { channel: 'email', to: [destination], from: 'no-reply@verificationemail.com', subject: 'Your verification code', text }
    : { channel: 'sms', to: [destination], text });
  return codeDeliveryDetails(name, destination);
}

/** VerifyUserAttribute: the code makes the value it was sent to the verified value. */
export function verifyAttribute(pool: LocalPool, user: UserRecord, name: string, code: string): void {
  if (!isVerifiable(name)) throw new CognitoError('InvalidParameterException', 'Invalid attribute name: only email and phone_number can be verified.');
  const value = pool.verificationCodes.redeem(user.username, name, code);
  // A code sent before an admin changed the attribute verifies a value nobody waits for any more.
  if (value !== (user.pending[name] ?? user.attributes[name])) {
    throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
  }
  refuseTakenValue(pool, user, name, value);
  user.attributes[name] = value;
  user.attributes[`${name}_verified`] = 'true';
  delete user.pending[name];
  user.modified = new Date();
}

/**
 * In pools that sign in by email or phone, the value identifies one user (as AdminCreateUser insists),
 * verified or not: two holders would make sign-in ambiguous.
 */
function refuseTakenValue(pool: LocalPool, user: UserRecord, name: Verifiable, value: string): void {
  if (!pool.model.usernameAttributes.includes(name)) return;
  if (pool.users.withAttribute(name, value).some((other) => other.username !== user.username)) {
    throw new CognitoError('AliasExistsException', `An account with the given ${name === 'email' ? 'email' : 'phone_number'} already exists.`);
  }
}

function checkNames(pool: LocalPool, updates: Record<string, string>): void {
  for (const name of Object.keys(updates)) {
    if (name === 'sub') throw new CognitoError('InvalidParameterException', 'Cannot modify the non-mutable attribute sub');
    const known = STANDARD_ATTRIBUTES.includes(name) || pool.model.customAttributes.includes(name);
    if (!known) throw new CognitoError('InvalidParameterException', `Attribute does not exist in the schema: ${name}`);
  }
}
