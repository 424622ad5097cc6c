import type { SendLimits } from './identifier-state';
import { isLogLevel, LogLevel } from './log';
import { isMethod, Method } from './protocol';

/**
 * Configuration reaches the handlers through environment variables set by the constructs. Each reader
 * parses them once at cold start and throws a ConfigError naming the variable on any misconfiguration,
 * never falling back silently.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(`Invalid cdk-passwordless configuration: ${message}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

export interface DefineConfig {
  readonly maxAttempts: number;
  readonly logLevel: LogLevel;
}

export interface CreateConfig {
  readonly methods: readonly Method[];
  readonly codeLength: number;
  readonly logLevel: LogLevel;
}

export interface EmailConfig {
  readonly from: string;
  readonly subject: string;
  readonly textBody: string;
  readonly htmlBody?: string;
  readonly configurationSet?: string;
}

export interface SmsConfig {
  readonly allowedCountryCodes: readonly string[];
  readonly message: string;
  readonly senderId?: string;
  readonly originationNumber?: string;
}

export interface OtpLimits {
  readonly codeLength: number;
  readonly codeTtlMs: number;
  readonly maxAttempts: number;
  readonly sendCooldownMs: number;
  readonly maxSendsPerHour: number;
  readonly maxFailures: number;
  readonly failureWindowMs: number;
}

export interface VerifyConfig {
  readonly methods: readonly Method[];
  readonly limits: OtpLimits;
  readonly tableName: string;
  readonly email?: EmailConfig;
  readonly sms?: SmsConfig;
  /** The KMS key whose signatures magic links carry; set when `magic-link` is enabled. */
  readonly magicLinkKeyId?: string;
  /** A right answer of an auto sign-up marks its attribute verified. */
  readonly autoSignUp: boolean;
  /** Longer answers and larger client metadata are wrong answers, refused before any lookup (R22). */
  readonly maxAnswerLength: number;
  readonly maxClientMetadataBytes: number;
  readonly logLevel: LogLevel;
}

/** What every API function reads: its pool, the state table, CORS origins, the per-IP limit and the log level. */
export interface ApiConfig {
  readonly userPoolId: string;
  readonly tableName: string;
  readonly allowedOrigins: readonly string[];
  readonly maxRequestsPerIpPerMinute: number;
  /** Larger request bodies are a 400 before they are parsed (R22). */
  readonly maxBodyBytes: number;
  readonly logLevel: LogLevel;
}

export interface MagicLinkApiConfig extends ApiConfig {
  readonly keyId: string;
  readonly redirectUris: readonly string[];
  readonly linkTtlMs: number;
  /** Sends, cooldown and failures, shared with codes; `codeTtlMs` is the link lifetime here. */
  readonly limits: SendLimits;
  readonly email: LinkEmailConfig;
  /** Unknown addresses get a new user (auto sign-up). */
  readonly autoSignUp: boolean;
}

export interface SignInApiConfig extends ApiConfig {
  readonly clientId: string;
  readonly methods: readonly Method[];
  readonly allowedCountryCodes: readonly string[];
}

export interface AttributeApiConfig extends ApiConfig {
  readonly limits: OtpLimits;
  readonly email: EmailConfig;
  readonly sms?: SmsConfig;
}

/** Email templates of magic links: `{link}` and `{minutes}` placeholders. */
export type LinkEmailConfig = EmailConfig;

export function readDefineConfig(env: Env): DefineConfig {
  return { maxAttempts: int(env, 'MAX_ATTEMPTS', 1, 10), logLevel: logLevel(env) };
}

export function readCreateConfig(env: Env): CreateConfig {
  return { methods: methods(env), codeLength: int(env, 'CODE_LENGTH', 6, 10), logLevel: logLevel(env) };
}

export function readVerifyConfig(env: Env): VerifyConfig {
  const enabled = methods(env);
  return {
    methods: enabled,
    limits: otpLimits(env),
    tableName: str(env, 'TABLE_NAME'),
    email: enabled.includes('email-otp') ? emailConfig(env, '{code}') : undefined,
    sms: enabled.includes('sms-otp') ? smsConfig(env) : undefined,
    magicLinkKeyId: enabled.includes('magic-link') ? str(env, 'MAGIC_LINK_KEY_ID') : undefined,
    autoSignUp: flag(env, 'AUTO_SIGN_UP'),
    maxAnswerLength: optionalInt(env, 'MAX_ANSWER_LENGTH', 512, 4096, 1024),
    maxClientMetadataBytes: optionalInt(env, 'MAX_CLIENT_METADATA_BYTES', 256, 16384, 1024),
    logLevel: logLevel(env),
  };
}

export function readMagicLinkApiConfig(env: Env): MagicLinkApiConfig {
  const linkTtlMs = int(env, 'LINK_TTL_SECONDS', 60, 3600) * 1000;
  return {
    ...apiConfig(env),
    keyId: str(env, 'KEY_ID'),
    redirectUris: list(env, 'REDIRECT_URIS'),
    linkTtlMs,
    // The table item's expiry must outlive the link, as it outlives a code.
    limits: { codeTtlMs: linkTtlMs, ...sendLimits(env) },
    email: emailConfig(env, '{link}'),
    autoSignUp: flag(env, 'AUTO_SIGN_UP'),
  };
}

export function readSignInApiConfig(env: Env): SignInApiConfig {
  const enabled = methods(env);
  return {
    ...apiConfig(env),
    clientId: str(env, 'CLIENT_ID'),
    methods: enabled,
    allowedCountryCodes: enabled.includes('sms-otp') ? countryCodes(env) : [],
  };
}

export function readAttributeApiConfig(env: Env): AttributeApiConfig {
  const enabled = methods(env);
  return {
    ...apiConfig(env),
    limits: otpLimits(env),
    email: emailConfig(env, '{code}'),
    sms: enabled.includes('sms-otp') ? smsConfig(env) : undefined,
  };
}

function apiConfig(env: Env): ApiConfig {
  return {
    userPoolId: str(env, 'USER_POOL_ID'),
    tableName: str(env, 'TABLE_NAME'),
    allowedOrigins: env.ALLOWED_ORIGINS ? list(env, 'ALLOWED_ORIGINS') : [],
    maxRequestsPerIpPerMinute: int(env, 'MAX_REQUESTS_PER_IP_PER_MINUTE', 1, 1000),
    maxBodyBytes: optionalInt(env, 'MAX_BODY_BYTES', 1024, 65536, 4096),
    logLevel: logLevel(env),
  };
}

/** The code policy, shared by sign-in codes and attribute verification codes. */
function otpLimits(env: Env): OtpLimits {
  return {
    codeLength: int(env, 'CODE_LENGTH', 6, 10),
    codeTtlMs: int(env, 'CODE_TTL_SECONDS', 60, 900) * 1000,
    maxAttempts: int(env, 'MAX_ATTEMPTS', 1, 10),
    ...sendLimits(env),
  };
}

/** The send and failure limits of an identifier, shared by codes and links. */
function sendLimits(env: Env): Omit<SendLimits, 'codeTtlMs'> {
  return {
    sendCooldownMs: int(env, 'SEND_COOLDOWN_SECONDS', 10, 900) * 1000,
    maxSendsPerHour: int(env, 'MAX_SENDS_PER_HOUR', 1, 60),
    maxFailures: int(env, 'MAX_FAILURES', 1, 100),
    failureWindowMs: int(env, 'FAILURE_WINDOW_SECONDS', 60, 86_400) * 1000,
  };
}

/** Email templates; `placeholder` ({code} or {link}) must be in every body. */
function emailConfig(env: Env, placeholder: string): EmailConfig {
  return {
    from: str(env, 'EMAIL_FROM'),
    subject: str(env, 'EMAIL_SUBJECT'),
    textBody: template(env, 'EMAIL_TEXT_BODY', placeholder),
    htmlBody: env.EMAIL_HTML_BODY ? template(env, 'EMAIL_HTML_BODY', placeholder) : undefined,
    configurationSet: env.EMAIL_CONFIGURATION_SET || undefined,
  };
}

function countryCodes(env: Env): string[] {
  const codes = str(env, 'SMS_ALLOWED_COUNTRY_CODES').split(',');
  for (const code of codes) {
    if (!/^[1-9][0-9]{0,2}$/.test(code)) {
      throw new ConfigError(`SMS_ALLOWED_COUNTRY_CODES must list country calling codes of 1-3 digits (received: "${code}")`);
    }
  }
  return codes;
}

function smsConfig(env: Env): SmsConfig {
  return {
    allowedCountryCodes: countryCodes(env),
    message: template(env, 'SMS_MESSAGE', '{code}'),
    senderId: env.SMS_SENDER_ID || undefined,
    originationNumber: env.SMS_ORIGINATION_NUMBER || undefined,
  };
}

function methods(env: Env): Method[] {
  const names = str(env, 'METHODS').split(',');
  for (const method of names) {
    if (!isMethod(method)) throw new ConfigError(`METHODS has an unknown method (received: "${method}")`);
  }
  return names as Method[];
}

/** An optional 'true'/'false' switch; absent means false. */
function flag(env: Env, name: string): boolean {
  const value = env[name] ?? 'false';
  if (value !== 'true' && value !== 'false') throw new ConfigError(`${name} must be true or false (received: "${value}")`);
  return value === 'true';
}

function logLevel(env: Env): LogLevel {
  const level = env.LOG_LEVEL ?? 'info';
  if (!isLogLevel(level)) throw new ConfigError(`LOG_LEVEL must be debug, info, warn or error (received: "${level}")`);
  return level;
}

function str(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${name} is required`);
  return value;
}

function template(env: Env, name: string, placeholder: string): string {
  const value = str(env, name);
  if (!value.includes(placeholder)) throw new ConfigError(`${name} must contain the ${placeholder} placeholder`);
  return value;
}

function list(env: Env, name: string): string[] {
  const items = str(env, name).split(',').map((item) => item.trim());
  if (items.some((item) => item.length === 0)) throw new ConfigError(`${name} has an empty entry`);
  return items;
}

/** An integer setting that has a default when absent (settings added after the first release). */
function optionalInt(env: Env, name: string, min: number, max: number, fallback: number): number {
  return env[name] === undefined ? fallback : int(env, name, min, max);
}

function int(env: Env, name: string, min: number, max: number): number {
  const raw = str(env, name);
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max} (received: "${raw}")`);
  }
  return value;
}
