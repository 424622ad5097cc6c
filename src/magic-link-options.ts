import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { TriggerFunctionOptions } from './trigger-function-options';

/**
 * The magic-link email, sent through Amazon SES (API v2).
 */
export interface MagicLinkEmailOptions {
  /**
   * Sender of the link emails: a plain address or `Name <address@domain>`; SES must have verified it or its domain.
   * @see https://docs.aws.amazon.com/ses/latest/dg/creating-identities.html
   */
  readonly fromAddress: string;

  /**
   * The SES identity (a domain or an email address) the sender uses; the send permission is scoped to it.
   * @default - the domain of `fromAddress`
   * @see https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html
   */
  readonly sesIdentity?: string;

  /**
   * SES configuration set used for every link email, for example to publish delivery events.
   * @default - no configuration set
   * @see https://docs.aws.amazon.com/ses/latest/dg/using-configuration-sets.html
   */
  readonly configurationSetName?: string;

  /**
   * Subject line of the link email.
   * @default 'Your sign-in link'
   */
  readonly subject?: string;

  /**
   * Plain-text body of the link email; must contain `{link}` and may contain `{minutes}` (the link lifetime).
   * @default 'Sign in by opening this link: {link}\n\nIt expires in {minutes} minutes and works once. If you did not ask to sign in, ignore this email.'
   */
  readonly textBody?: string;

  /**
   * HTML body of the link email; when given it must contain `{link}` and may contain `{minutes}`.
   * @default - no HTML part, the email is text only
   */
  readonly htmlBody?: string;
}

/**
 * Stage-wide request throttling of the magic-link API (all clients together).
 */
export interface MagicLinkThrottling {
  /**
   * Steady-state requests per second, from 1 to 10,000.
   * @default 10
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
   */
  readonly rateLimit?: number;

  /**
   * Requests the stage accepts in a burst above the rate, from 1 to 5,000.
   * @default 20
   */
  readonly burstLimit?: number;
}

/**
 * Settings of the magic-link API shared by `MagicLinkApiProps` and `MagicLinkOptions`: where links may lead,
 * how long they live, how requests are limited and how the function runs.
 */
export interface MagicLinkApiOptions {
  /**
   * The pages a link may open: a request names one of them as `redirectUri` and the link is `<redirectUri>#<token>`.
   *
   * Each is an https URL, or an http URL on 127.0.0.1, [::1] or localhost (for development), with no query string
   * and no fragment. A request must name an entry exactly (scheme, host, port and path), except that a loopback
   * entry matches any port (RFC 8252, section 7.3). The landing page should send `Referrer-Policy: no-referrer`.
   * @see https://datatracker.ietf.org/doc/html/rfc8252#section-7.3
   */
  readonly redirectUrls: string[];

  /**
   * Origins (`scheme://host[:port]`) whose browser pages may call the API (CORS); https, or http on a loopback host.
   *
   * API Gateway's own error responses (malformed body, throttling) can name only one origin: they carry the first.
   * @default - the origins of `redirectUrls`, in their order
   * @see https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS
   */
  readonly allowedOrigins?: string[];

  /**
   * How long a link can be redeemed after it was sent, from 1 to 60 minutes.
   * @default Duration.minutes(10)
   */
  readonly linkLifetime?: Duration;

  /**
   * The KMS key that signs the links: key spec ECC_NIST_P256, key usage SIGN_VERIFY.
   *
   * KMS cannot rotate asymmetric keys automatically. To replace the key, pass a new one (or let the construct create
   * one under a new construct ID) and deploy: links sent before the deployment stop working, nothing else is lost.
   * @default - a new ECC_NIST_P256 SIGN_VERIFY key, scheduled for deletion (7-day window) when it leaves the stack
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/asymmetric-key-specs.html
   */
  readonly signingKey?: kms.IKey;

  /**
   * Stage-wide throttling of the API.
   * @default - 10 requests per second, bursts of 20
   */
  readonly throttling?: MagicLinkThrottling;

  /**
   * Requests per minute each API function accepts from one source IP address (an IPv6 /64 counts as one), from 1 to 1000;
   * counted in the state table, never read from X-Forwarded-For.
   * @default 10
   */
  readonly maxRequestsPerIpPerMinute?: number;

  /**
   * When set, a WAFv2 web ACL blocks a source IP that sends more than this many requests in 5 minutes, from 10 to
   * 2,000,000,000 (a rate-based rule keyed on the IP address; WAF charges apply).
   * @default - no web ACL
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
   */
  readonly wafRateLimit?: number;

  /**
   * Whether an email address or phone number without an account may sign in: adds `POST /sign-in`, and
   * `POST /magic-link` creates unknown users (AdminCreateUser, no invitation, a random unusable password); requires `userPoolClient`
   * and a pool whose users sign in with email or phone number as username attributes, not sign-in aliases (`usernameAttributes`;
   * in `PasswordlessUserPool`, no `username` or `preferredUsername` in `userPoolProps.signInAliases`): with sign-in aliases, Cognito
   * resolves an email address or phone number only once it is verified, so an unverified new user could not be found or sign in by it.
   * @default false
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
   */
  readonly autoSignUp?: boolean;

  /**
   * Whether signed-in users may add or change their email address or phone number (verified by a code sent to the new
   * value) and their given and family name: adds `POST /attributes` and `POST /attributes/verify`, which take the
   * access token as `Authorization: Bearer <token>`.
   * @default false
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUser.html
   */
  readonly attributeUpdates?: boolean;

  /**
   * Runtime, memory, architecture, timeout and log retention of the API functions; their timeout may be 1 to 29 seconds
   * (API Gateway's integration timeout).
   * @default - the defaults of each `TriggerFunctionOptions` property
   */
  readonly functionOptions?: TriggerFunctionOptions;

  /**
   * Retention of the API's access log group, which the construct creates and deletes with the stack.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: logs.RetentionDays;

  /**
   * Log level of the API functions: 'debug', 'info', 'warn' or 'error'; no level ever logs a link, code or token.
   * @default - the log level of the triggers
   */
  readonly logLevel?: string;
}

/**
 * Magic links on a `PasswordlessUserPool`: the settings of its `MagicLinkApi`.
 */
export interface MagicLinkOptions extends MagicLinkApiOptions {
  /**
   * The link email; required when the pool has no email codes (`email`).
   * @default - the sender, SES identity and configuration set of `email`, with the default link subject and body
   */
  readonly email?: MagicLinkEmailOptions;
}
