import { sendVerificationCode, updateAttributes, verifyAttribute } from './attribute-updates';
import { toList, toRecord } from './attributes';
import type { Operation } from './cognito-service';
import { CognitoError } from './errors';
import { readableBy } from './local-pool';
import { requiredString, stringMap } from './request-members';

/** Operations a signed-in user calls with an access token. */
export const userOperations: Record<string, Operation> = {
  GetUser(service, request) {
    const { pool, user, clientId } = service.userOf(request.AccessToken);
    const readable = readableBy(pool.client(clientId));
    const attributes = Object.fromEntries(Object.entries(user.attributes).filter(([name]) => name === 'sub' || readable(name)));
    return { Username: user.username, UserAttributes: toList(attributes) };
  },

  UpdateUserAttributes(service, request) {
    const { pool, user, clientId } = service.userOf(request.AccessToken);
    stringMap(request, 'ClientMetadata');
    const updates = toRecord(request.UserAttributes);
    const client = pool.client(clientId);
    const forbidden = Object.keys(updates).filter((name) => client.writeAttributes.length > 0 && !client.writeAttributes.includes(name));
    if (forbidden.length > 0) {
      throw new CognitoError('NotAuthorizedException', 'A client attempted to write unauthorized attribute');
    }
    const deliveries = updateAttributes(pool, service.messages, user, updates, false);
    return { CodeDeliveryDetailsList: deliveries };
  },

  GetUserAttributeVerificationCode(service, request) {
    const { pool, user } = service.userOf(request.AccessToken);
    const delivery = sendVerificationCode(pool, service.messages, user, requiredString(request, 'AttributeName'));
    return { CodeDeliveryDetails: delivery };
  },

  VerifyUserAttribute(service, request) {
    const { pool, user } = service.userOf(request.AccessToken);
    verifyAttribute(pool, user, requiredString(request, 'AttributeName'), requiredString(request, 'Code'));
    return {};
  },
};
