/** A KMS error answer: the code becomes the SDK exception's name. */
export class KmsError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
    this.name = code;
  }
}
