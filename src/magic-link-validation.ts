import { Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { MagicLinkApiProps } from './magic-link-api';
import {
  validateDurationRange,
  validateEmailDelivery,
  validateIntegerRange,
  validateOneOf,
} from './validation';

/** Hosts on which a page may be served over plain http: the machine itself (RFC 8252, section 8.3). */
const LOOPBACK_HOSTS = ['127.0.0.1', '[::1]', 'localhost'];
/** The longest `redirectUri` the request model accepts. */
const MAX_REDIRECT_URI_LENGTH = 2048;

/** Throws a synth-time error naming the first prop outside its allowed range. */
export function validateMagicLinkProps(props: MagicLinkApiProps): void {
  validateRedirectUrls(props.redirectUrls);
  if (props.allowedOrigins !== undefined) validateAllowedOrigins(props.allowedOrigins);
  validateDurationRange('linkLifetime', props.linkLifetime, 1, 60, 'minutes');
  validateIntegerRange('throttling.rateLimit', props.throttling?.rateLimit, 1, 10_000);
  validateIntegerRange('throttling.burstLimit', props.throttling?.burstLimit, 1, 5_000);
  validateIntegerRange('maxRequestsPerIpPerMinute', props.maxRequestsPerIpPerMinute, 1, 1000);
  validateIntegerRange('wafRateLimit', props.wafRateLimit, 10, 2_000_000_000);
  validateIntegerRange('functionOptions.memorySize', props.functionOptions?.memorySize, 128, 10240);
  validateDurationRange('functionOptions.timeout', props.functionOptions?.timeout, 1, 29, 'seconds');
  validateOneOf('logLevel', props.logLevel, ['debug', 'info', 'warn', 'error']);
  validateEmailDelivery(props.email, '{link}');
  if (props.signingKey) validateSigningKey(props.signingKey);
  if (props.autoSignUp) {
    validateUsernameAttributes(props.usernameAttributes);
    validateSignInClient(props.userPoolClient);
  }
}

/**
 * Auto sign-up needs a pool whose users sign in with email or phone number as username attributes: with sign-in
 * aliases, Cognito resolves an email address or phone number only once it is verified, and new users are unverified.
 */
function validateUsernameAttributes(usernameAttributes: boolean | undefined): void {
  if (usernameAttributes !== false) return;
  throw new Error('autoSignUp requires usernameAttributes: true (a user pool whose users sign in with email or phone number as username attributes), '
    + 'received usernameAttributes: false. With sign-in aliases, Cognito resolves an email address or phone number only once it is verified, '
    + 'so a user created unverified by auto sign-up could not be found by its identifier (AdminGetUser by alias fails, so every request would create another user) '
    + 'and could not start a sign-in with it (InitiateAuth and magic-link redemption by email fail). '
    + 'Use signInAliases: { email: true } and/or { phone: true } without username or preferredUsername, or turn autoSignUp off');
}

/** POST /sign-in starts sign-ins with the client, so it must exist, allow custom auth and have no secret. */
function validateSignInClient(client: cognito.IUserPoolClient | undefined): void {
  if (!client) {
    throw new Error('userPoolClient must be set when autoSignUp is true: POST /sign-in starts sign-ins with that app client '
      + '(custom auth, no client secret), e.g. userPoolClient: userPool.addClient(\'Client\', { authFlows: { custom: true } })');
  }
  // A client defined in this app is checked; an imported one is taken as it is.
  const resource = client.node.defaultChild;
  if (!(resource instanceof cognito.CfnUserPoolClient)) return;
  if (resource.generateSecret === true) {
    throw new Error(`userPoolClient must not have a client secret when autoSignUp is true: POST /sign-in calls InitiateAuth without a secret hash (received: ${client.node.path} with generateSecret: true)`);
  }
  const flows = resource.explicitAuthFlows;
  if (flows !== undefined && !Token.isUnresolved(flows) && !flows.includes('ALLOW_CUSTOM_AUTH')) {
    throw new Error(`userPoolClient must allow the custom auth flow (authFlows: { custom: true }) when autoSignUp is true (received: ${client.node.path} with ${JSON.stringify(flows)})`);
  }
}

function validateRedirectUrls(urls: string[]): void {
  if (Token.isUnresolved(urls)) return;
  if (urls.length === 0) {
    throw new Error("redirectUrls must list at least one URL, e.g. ['https://app.example.com/sign-in'] (received: [])");
  }
  urls.forEach((url, i) => validateRedirectUrl(`redirectUrls[${i}]`, url));
}

function validateRedirectUrl(prop: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (/[\s,\\]/.test(value)) {
    throw new Error(`${prop} must not contain whitespace, commas or backslashes (received: '${value}')`);
  }
  const url = parseUrl(prop, value);
  if (!isAllowedScheme(url)) {
    throw new Error(`${prop} must be an https URL, or an http URL on 127.0.0.1, [::1] or localhost (received: '${value}')`);
  }
  if (value.includes('?')) {
    throw new Error(`${prop} must not have a query string: a request names the page exactly (received: '${value}')`);
  }
  if (value.includes('#')) {
    throw new Error(`${prop} must not have a fragment: the link carries its token there (received: '${value}')`);
  }
  if (url.username || url.password) {
    throw new Error(`${prop} must not contain a user name or password (received: '${value}')`);
  }
  if (value.length > MAX_REDIRECT_URI_LENGTH) {
    throw new Error(`${prop} must be at most ${MAX_REDIRECT_URI_LENGTH} characters, the longest redirectUri a request may send (received: ${value.length} characters)`);
  }
}

function validateAllowedOrigins(origins: string[]): void {
  if (Token.isUnresolved(origins)) {
    throw new Error('allowedOrigins must be a list of strings, not a list token: the CORS preflight compares each origin');
  }
  if (origins.length === 0) {
    throw new Error("allowedOrigins must list at least one origin, e.g. ['https://app.example.com'] (received: [])");
  }
  origins.forEach((origin, i) => {
    const prop = `allowedOrigins[${i}]`;
    if (Token.isUnresolved(origin)) return;
    const url = parseUrl(prop, origin);
    if (url.origin !== origin) {
      throw new Error(`${prop} must be an origin: scheme, host and optional port, with no path or trailing slash, e.g. 'https://app.example.com' (received: '${origin}')`);
    }
    if (!isAllowedScheme(url)) {
      throw new Error(`${prop} must be an https origin, or an http origin on 127.0.0.1, [::1] or localhost (received: '${origin}')`);
    }
  });
}

/** The distinct origins of the redirect URLs, in their order; an unresolved URL must start with a literal scheme. */
export function originsOf(redirectUrls: string[]): string[] {
  if (Token.isUnresolved(redirectUrls)) {
    throw new Error('allowedOrigins must be set when redirectUrls is a list token: the origins cannot be derived from it');
  }
  const origins = redirectUrls.map((url, i) => {
    if (!Token.isUnresolved(url)) return new URL(url).origin;
    // Up to the first '/' after the scheme: a token's encoding contains no '/', so this is the origin.
    const origin = /^https?:\/\/[^/?#]+/.exec(url)?.[0];
    if (origin === undefined) {
      throw new Error(`allowedOrigins must be set when redirectUrls[${i}] is a token that does not start with a literal 'https://': its origin cannot be derived`);
    }
    return origin;
  });
  return [...new Set(origins)];
}

/** A key defined in this app must be able to sign with ECDSA P-256; an imported key is taken as it is. */
function validateSigningKey(key: kms.IKey): void {
  const resource = key.node.defaultChild;
  if (!(resource instanceof kms.CfnKey)) return;
  const keySpec = resource.keySpec ?? kms.KeySpec.SYMMETRIC_DEFAULT;
  const keyUsage = resource.keyUsage ?? kms.KeyUsage.ENCRYPT_DECRYPT;
  if (Token.isUnresolved(keySpec) || Token.isUnresolved(keyUsage)) return;
  if (keySpec !== kms.KeySpec.ECC_NIST_P256 || keyUsage !== kms.KeyUsage.SIGN_VERIFY) {
    throw new Error(`signingKey must have key spec ECC_NIST_P256 and key usage SIGN_VERIFY (received: ${keySpec}, ${keyUsage})`);
  }
}

function parseUrl(prop: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new Error(`${prop} must be an absolute URL, e.g. 'https://app.example.com/sign-in' (received: '${value}')`);
  }
}

function isAllowedScheme(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname));
}
