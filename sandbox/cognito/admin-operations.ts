import { randomBytes } from 'node:crypto';
import { updateAttributes } from './attribute-updates';
import { toList, toRecord } from './attributes';
import type { CognitoRequest, CognitoService, Operation } from './cognito-service';
import { CognitoError } from './errors';
import type { LocalPool } from './local-pool';
import { requiredString } from './request-members';
import type { UserRecord } from './user-directory';
import { matchesFilter, parseFilter } from './user-filter';

/** Admin operations, for tests, scripts and the handlers. Any credentials are accepted locally. */
export const adminOperations: Record<string, Operation> = {
  AdminCreateUser(service, request) {
    const pool = service.pool(request.UserPoolId);
    if (request.MessageAction === 'RESEND') return resendInvitation(service, pool, request);
    const user = pool.users.create(requiredString(request, 'Username'), toRecord(request.UserAttributes), 'FORCE_CHANGE_PASSWORD');
    if (request.MessageAction !== 'SUPPRESS') sendInvitation(service, user, request);
    return { User: userType(user, 'Attributes') };
  },

  AdminGetUser(service, request) {
    const { user } = userOfRequest(service, request);
    return { ...userType(user, 'UserAttributes'), UserMFASettingList: [] };
  },

  AdminUpdateUserAttributes(service, request) {
    const { pool, user } = userOfRequest(service, request);
    updateAttributes(pool, service.messages, user, toRecord(request.UserAttributes), true);
    return {};
  },

  AdminDeleteUser(service, request) {
    const { pool, user } = userOfRequest(service, request);
    pool.users.delete(user);
    pool.tokens.forgetUser(user.username);
    pool.verificationCodes.forget(user.username);
    return {};
  },

  AdminDisableUser(service, request) {
    const { pool, user } = userOfRequest(service, request);
    user.enabled = false;
    pool.tokens.signOutEverywhere(user.username);
    return {};
  },

  AdminEnableUser(service, request) {
    userOfRequest(service, request).user.enabled = true;
    return {};
  },

  AdminUserGlobalSignOut(service, request) {
    const { pool, user } = userOfRequest(service, request);
    pool.tokens.signOutEverywhere(user.username);
    return {};
  },

  /** Sets the status only: the sandbox serves no password flow, so the password itself is not kept. */
  AdminSetUserPassword(service, request) {
    const { user } = userOfRequest(service, request);
    requiredString(request, 'Password');
    user.status = request.Permanent === true ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
    user.modified = new Date();
    return {};
  },

  ListUsers(service, request) {
    const pool = service.pool(request.UserPoolId);
    const filter = typeof request.Filter === 'string' && request.Filter.length > 0 ? parseFilter(request.Filter) : undefined;
    const limit = listLimit(request.Limit);
    const users = pool.users.all().filter((user) => !filter || matchesFilter(user, filter));
    const start = pageStart(request.PaginationToken);
    const page = users.slice(start, start + limit);
    const wanted = Array.isArray(request.AttributesToGet) ? (request.AttributesToGet as string[]) : undefined;
    return {
      Users: page.map((user) => userType(user, 'Attributes', wanted)),
      ...(start + limit < users.length ? { PaginationToken: String(start + limit) } : {}),
    };
  },
};

/** AdminCreateUser with MessageAction RESEND: the invitation again, for a user who has not signed in yet. */
function resendInvitation(service: CognitoService, pool: LocalPool, request: CognitoRequest) {
  const user = pool.users.get(requiredString(request, 'Username'));
  if (user.status !== 'FORCE_CHANGE_PASSWORD') {
    throw new CognitoError('UnsupportedUserStateException', `Resend not possible. ${user.username} status is not FORCE_CHANGE_PASSWORD`);
  }
  sendInvitation(service, user, request);
  return { User: userType(user, 'Attributes') };
}

/** ListUsers' Limit: 0 to 60 (the API's range), where 0 or none means the most, 60. */
function listLimit(limit: unknown): number {
  if (limit === undefined || limit === null || limit === 0) return 60;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > 60) {
    const bound = typeof limit === 'number' && limit < 0 ? 'greater than or equal to 0' : 'less than or equal to 60';
    throw new CognitoError('InvalidParameterException',
      `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value ${bound}`);
  }
  return limit;
}

/** Where a page starts: the token is the offset this sandbox handed out; anything else is refused. */
function pageStart(token: unknown): number {
  if (token === undefined || token === null) return 0;
  if (typeof token !== 'string' || !/^[1-9]\d{0,8}$/.test(token)) {
    throw new CognitoError('InvalidParameterException', 'Invalid pagination token.');
  }
  return Number(token);
}

function userOfRequest(service: CognitoService, request: CognitoRequest): { pool: LocalPool; user: UserRecord } {
  const pool = service.pool(request.UserPoolId);
  return { pool, user: pool.users.get(requiredString(request, 'Username')) };
}

function userType(user: UserRecord, attributesMember: 'Attributes' | 'UserAttributes', wanted?: string[]) {
  const attributes = wanted ? Object.fromEntries(Object.entries(user.attributes).filter(([name]) => wanted.includes(name))) : user.attributes;
  return {
    Username: user.username,
    [attributesMember]: toList(attributes),
    UserCreateDate: user.created.getTime() / 1000,
    UserLastModifiedDate: user.modified.getTime() / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

/** Cognito's default invitation, with a temporary password the sandbox does not keep (no password flow). */
function sendInvitation(service: CognitoService, user: UserRecord, request: CognitoRequest): void {
  const mediums = Array.isArray(request.DesiredDeliveryMediums) ? request.DesiredDeliveryMediums : ['SMS'];
  const text = `Your username is ${user.username} and temporary password is ${randomBytes(6).toString('base64url')}.`;
  if (mediums.includes('EMAIL') && user.attributes.email) {
    service.messages.send({ channel: 'email', to: [user.attributes.email], from: 'no-reply@verificationemail.com', subject: 'Your temporary password', text });
  }
  if (mediums.includes('SMS') && user.attributes.phone_number) {
    service.messages.send({ channel: 'sms', to: [user.attributes.phone_number], text });
  }
}
