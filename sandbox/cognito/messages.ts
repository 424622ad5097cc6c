/** A message Cognito itself sends (attribute verification codes, invitations), kept for the outbox. */
export interface CognitoMessage {
  readonly channel: 'email' | 'sms';
  readonly to: string[];
  readonly from?: string;
  readonly subject?: string;
  readonly text: string;
  readonly time: string;
}

/** Cognito's own deliveries, in the order sent. */
export class CognitoMessages {
  private readonly sent: CognitoMessage[] = [];

  send(message: Omit<CognitoMessage, 'time'>): void {
    this.sent.push({ ...message, time: new Date().toISOString() });
  }

  all(): CognitoMessage[] {
    return [...this.sent];
  }
}

/** Cognito's CodeDeliveryDetails: where a code went, with the destination masked. */
export function codeDeliveryDetails(attribute: 'email' | 'phone_number', destination: string) {
  return {
    AttributeName: attribute,
    DeliveryMedium: attribute === 'email' ? 'EMAIL' : 'SMS',
    Destination: attribute === 'email' ? maskEmail(destination) : `+${'*'.repeat(Math.max(destination.length - 5, 0))}${destination.slice(-4)}`,
  };
}

function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  const [host, ...rest] = domain.split('.');
  return `${local.charAt(0)}***@${host.charAt(0)}***${rest.length ? '.' + rest.join('.') : ''}`;
}
