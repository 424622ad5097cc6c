/** The largest answer and client metadata the verify trigger looks at (R22). */
export interface InputSizeLimits {
  readonly maxAnswerLength: number;
  readonly maxClientMetadataBytes: number;
}

/**
 * Which part of an answer is above its limit, if one is: such an answer is wrong before any lookup, so its size
 * costs no state-table, KMS or Cognito call.
 */
export function oversizedPart(
  answer: unknown,
  clientMetadata: Readonly<Record<string, string>> | undefined,
  limits: InputSizeLimits,
): 'answer' | 'clientMetadata' | undefined {
  if (typeof answer === 'string' && answer.length > limits.maxAnswerLength) return 'answer';
  if (clientMetadata && Buffer.byteLength(JSON.stringify(clientMetadata), 'utf-8') > limits.maxClientMetadataBytes) return 'clientMetadata';
  return undefined;
}
