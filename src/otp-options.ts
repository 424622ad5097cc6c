import { Duration } from 'aws-cdk-lib';

/**
 * Strength, lifetime and rate limits of the one-time codes.
 *
 * Defaults follow NIST SP 800-63B and OWASP ASVS; every value outside its allowed range is a synth-time error.
 */
export interface OtpOptions {
  /**
   * Number of digits in a code, from 6 to 10; every one of the 10^n codes is equally likely.
   * @default 6
   * @see https://pages.nist.gov/800-63-4/sp800-63b.html
   */
  readonly codeLength?: number;

  /**
   * How long a code can be redeemed after it was sent, from 1 to 15 minutes.
   * @default Duration.minutes(3)
   */
  readonly codeLifetime?: Duration;

  /**
   * Wrong answers allowed for one code before it is void, from 1 to 10; counted server side.
   * @default 3
   */
  readonly maxAttemptsPerCode?: number;

  /**
   * Minimum time between two codes (or magic links) sent to the same identifier, from 10 seconds to 15 minutes.
   * @default Duration.seconds(60)
   */
  readonly sendCooldown?: Duration;

  /**
   * Codes and magic links sent to one identifier per rolling hour, from 1 to 60.
   * @default 5
   */
  readonly maxSendsPerHour?: number;

  /**
   * Failed answers per identifier within `failureWindow` after which no new code or magic link is issued, from 1 to 100.
   * @default 10
   */
  readonly maxFailuresPerIdentifier?: number;

  /**
   * Window in which failed answers per identifier are counted, from 1 minute to 24 hours.
   * @default Duration.hours(1)
   */
  readonly failureWindow?: Duration;
}
