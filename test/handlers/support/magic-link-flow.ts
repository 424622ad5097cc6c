import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { capturedLogLines } from './captured-log';
import { CustomAuthSession, TestUser, Triggers } from './custom-auth-session';
import { fakeDate, FakeDate } from './fake-date';
import { loadedTriggers } from './loaded-handlers';
import { localStateTable, LocalStateTable, TABLE } from './local-state-table';
import { newP256Key } from './p256-key';
import { recordedMessages, SentEmail } from './recorded-messages';
import { freshSourceIp } from './source-ips';
import { VERIFY_ENVIRONMENT } from './verify-environment';
import type { PoolUser } from '../../../lambda/core/cognito-users';
import type { LinkEmailConfig } from '../../../lambda/core/config';
import type { EmailMessage } from '../../../lambda/core/email-sender';
import { createLogger } from '../../../lambda/core/log';
import { MagicLinkRequestDeps, MagicLinkResult, requestMagicLink } from '../../../lambda/core/magic-link-request';
import { identifierKey } from '../../../lambda/core/otp-code';
import { createSendLatency } from '../../../lambda/core/send-latency';
import type { SignUpDeps } from '../../../lambda/core/sign-up';
import { StateStore } from '../../../lambda/core/state-store';

export { TABLE };
export const POOL = 'us-east-1_TestPool';
export const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const REDIRECT = 'https://app.example.com/auth/callback';
export const LINK_TTL_MS = 600_000;
export const MAGIC_LINK_HINT = { signInMethod: 'magic-link' };
export const LINK_EMAIL: LinkEmailConfig = {
  from: 'no-reply@example.com',
  subject: 'Your sign-in link',
  textBody: 'Sign in: {link} (valid for {minutes} minutes)',
  htmlBody: '<a href="{link}">Sign in</a>',
};

/** The limits of VERIFY_ENVIRONMENT, with the link lifetime: the API function's view of them. */
export const LINK_LIMITS = {
  codeTtlMs: LINK_TTL_MS,
  sendCooldownMs: 60_000,
  maxSendsPerHour: 5,
  maxFailures: 10,
  failureWindowMs: 3_600_000,
};

type StoreMethod = keyof StateStore;

/** A state store that counts the calls of each method, to compare the table work of two requests. */
export function countingStore<S extends Partial<StateStore>>(store: S): S & { calls: Record<StoreMethod, number> } {
  const calls = Object.fromEntries(Object.keys(store).map((name) => [name, 0])) as Record<StoreMethod, number>;
  const counted = Object.fromEntries(Object.entries(store).map(([name, method]) => [name, (...args: unknown[]) => {
    calls[name as StoreMethod] += 1;
    return (method as (...a: unknown[]) => unknown)(...args);
  }])) as unknown as S;
  return Object.assign(counted, { calls });
}

/** The link in an email's text body (LINK_EMAIL's template). */
export function linkIn(message: EmailMessage): string {
  const match = /^Sign in: (\S+) \(valid for/.exec(message.text);
  if (!match) throw new Error('not a link email');
  return match[1];
}

export function tokenOf(link: string): string {
  return link.slice(link.indexOf('#') + 1);
}

/**
 * The real define/create/verify handlers with magic links on, over dynalite, with KMS's GetPublicKey
 * answering with a local P-256 key whose private half signs the links `requestMagicLink` mints.
 * Registers its Jest hooks: every test starts a day later than the previous one, with Date faked.
 */
export class MagicLinkFlow {
  readonly key = newP256Key();
  readonly kms = mockClient(KMSClient);
  readonly ses = mockClient(SESv2Client);
  private readonly table: LocalStateTable = localStateTable();
  readonly triggers: Triggers;
  /** Code emails sent by the verify trigger. */
  readonly codeEmails: SentEmail[];
  /** Link emails sent by requestMagicLink. */
  linkEmails: EmailMessage[] = [];
  readonly logLines: string[];
  readonly users = new Map<string, PoolUser>();
  private readonly date: FakeDate;
  private userCount = 0;

  /** `environment` is added to the triggers' environment, e.g. `{ AUTO_SIGN_UP: 'true' }`. */
  constructor(environment: Record<string, string> = {}) {
    this.triggers = loadedTriggers(() => ({
      ...this.table.db.awsEnvironment,
      ...VERIFY_ENVIRONMENT,
      METHODS: 'email-otp,sms-otp,magic-link',
      MAGIC_LINK_KEY_ID: KEY_ARN,
      TABLE_NAME: TABLE,
      LOG_LEVEL: 'debug',
      ...environment,
    }));
    this.date = fakeDate();
    this.logLines = capturedLogLines();
    this.codeEmails = recordedMessages(this.ses).emails;
    beforeEach(() => {
      this.linkEmails = [];
      this.kms.reset();
      this.kms.on(GetPublicKeyCommand).resolves({ KeyId: KEY_ARN, KeySpec: 'ECC_NIST_P256', PublicKey: this.key.publicKeyDer });
    });
  }

  /** The state store on the flow's table. */
  get store(): StateStore {
    return this.table.store;
  }

  advance(ms: number): void {
    this.date.advance(ms);
  }

  /** A user with a verified email, known to both Cognito (the driver) and the API's user lookup. */
  newUser(attributes: Record<string, string> = {}, enabled = true): TestUser {
    this.userCount += 1;
    const user: TestUser = {
      userName: `user-${this.userCount}`,
      attributes: { email: `person${this.userCount}@example.com`, email_verified: 'true', ...attributes },
    };
    this.users.set(user.attributes!.email.toLowerCase(), { username: user.userName, enabled, attributes: user.attributes! });
    return user;
  }

  /** The user the API knows by `identifier`, as the triggers see them. */
  testUserOf(identifier: string): TestUser {
    const user = this.users.get(identifier);
    if (!user) throw new Error('no such user');
    return { userName: user.username, attributes: { ...user.attributes } as Record<string, string> };
  }

  /**
   * Auto sign-up over the flow's table (MagicLinkRequestDeps.signUp, or ensureUser's deps): an unknown
   * identifier becomes an enabled user of `users` with that one unverified attribute, marked as a sign-up.
   */
  signUpDeps(overrides: Partial<SignUpDeps> = {}): SignUpDeps {
    return {
      userPoolId: POOL,
      store: this.store,
      findUser: async (identifier) => this.users.get(identifier),
      createUser: async (attribute, value) => {
        this.userCount += 1;
        const username = `signed-up-${this.userCount}`;
        this.users.set(value, { username, enabled: true, attributes: { [attribute]: value, [`${attribute}_verified`]: 'false' } });
        return username;
      },
      creationLatency: createSendLatency(1),
      log: createLogger('debug', (line) => this.logLines.push(line)),
      sleep: async () => undefined,
      ...overrides,
    };
  }

  requestDeps(overrides: Partial<MagicLinkRequestDeps> = {}): MagicLinkRequestDeps {
    return {
      userPoolId: POOL,
      store: this.store,
      limits: LINK_LIMITS,
      linkTtlMs: LINK_TTL_MS,
      redirectUris: [REDIRECT, 'http://localhost:3000/callback'],
      maxRequestsPerIpPerMinute: 10,
      email: LINK_EMAIL,
      findUser: async (email) => this.users.get(email),
      sign: async (message) => this.key.signRaw(message),
      sendEmail: async (message) => void this.linkEmails.push(message),
      latency: createSendLatency(1),
      log: createLogger('debug', (line) => this.logLines.push(line)),
      now: () => Date.now(),
      sleep: async () => undefined,
      ...overrides,
    };
  }

  /** A fresh source address, so that per-network limits stay out of tests that are not about them. */
  nextIp(): string {
    return freshSourceIp();
  }

  /** POST /magic-link for `email` from a fresh address. */
  async requestLink(email: string, overrides: Partial<MagicLinkRequestDeps> = {}): Promise<MagicLinkResult> {
    return requestMagicLink(this.requestDeps(overrides), { email, redirectUri: REDIRECT, sourceIp: this.nextIp() });
  }

  /** The token of the newest link email. */
  lastToken(): string {
    const message = this.linkEmails[this.linkEmails.length - 1];
    if (!message) throw new Error('no link email was sent');
    return tokenOf(linkIn(message));
  }

  lastCode(): string {
    const match = /code is ([0-9]+)\./.exec(this.codeEmails[this.codeEmails.length - 1]?.text ?? '');
    if (!match) throw new Error('no code email was sent');
    return match[1];
  }

  session(user: TestUser, userPoolId = POOL): CustomAuthSession {
    return new CustomAuthSession(this.triggers, user, userPoolId);
  }

  /** InitiateAuth, then the token as the first answer (with the magic-link hint unless told otherwise). */
  async redeem(user: TestUser, token: string, hint: Record<string, string> | undefined = MAGIC_LINK_HINT) {
    const session = this.session(user);
    await session.start();
    return session.respond(token, hint);
  }

  /** InitiateAuth and choose the email code. */
  async askForCode(user: TestUser): Promise<CustomAuthSession> {
    const session = this.session(user);
    await session.start();
    await session.respond('email-otp');
    return session;
  }

  async storedItem(userName: string) {
    return this.table.item(identifierKey(POOL, userName));
  }

  async failuresOf(userName: string): Promise<number> {
    return (await this.storedItem(userName))?.failures?.L?.length ?? 0;
  }
}
