/**
 * Largest inputs the handlers read (R22): anything larger is refused before any lookup, so an oversized request
 * costs no state-table, KMS or Cognito call and never runs into a Lambda timeout.
 */
export interface InputLimitOptions {
  /**
   * Longest challenge answer (a code or a magic-link token) the verify trigger looks at, in characters, from 512
   * (room for the longest link token) to 4096; a longer answer is a wrong answer.
   * @default 1024
   */
  readonly maxAnswerLength?: number;

  /**
   * Largest `ClientMetadata` of an answer, in bytes of its JSON, from 256 to 16384; an answer with more is a wrong answer.
   * @default 1024
   */
  readonly maxClientMetadataBytes?: number;

  /**
   * Largest request body the HTTP API functions (magic link, sign-in, attributes) read, in bytes, from 1024 to 65536;
   * a larger body is a 400 with a message that names the limit.
   * @default 4096
   */
  readonly maxRequestBodyBytes?: number;
}
