import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PasswordlessUserPool } from '../src';

/** Settings of the example stack. */
export interface PasswordlessExampleProps extends StackProps {
  /**
   * Whether an email address or phone number without an account may sign in (POST /sign-in, and POST /magic-link creates the user).
   * @default true
   */
  readonly autoSignUp?: boolean;
}

/**
 * A user pool where users sign in with a one-time code sent by email or SMS, or with a link sent by email, sign up on
 * their first sign-in, and change their email address, phone number and names.
 */
export class PasswordlessExample extends Stack {
  constructor(scope: Construct, id: string, props: PasswordlessExampleProps = {}) {
    super(scope, id, props);
    const { autoSignUp = true } = props;

    const auth = new PasswordlessUserPool(this, 'Auth', {
      email: { fromAddress: 'no-reply@example.com' },
      sms: { allowedCountryCallingCodes: ['1', '44'] },
      // The sandbox's demo page; a loopback entry matches any port.
      magicLink: { redirectUrls: ['http://127.0.0.1/demo/'], autoSignUp, attributeUpdates: true },
    });
    const api = auth.magicLinkApi!;

    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'MagicLinkEndpoint', { value: api.endpoint });
    if (api.signInEndpoint) {
      new CfnOutput(this, 'SignInEndpoint', { value: api.signInEndpoint });
    }
    if (api.attributesEndpoint) {
      new CfnOutput(this, 'AttributesEndpoint', { value: api.attributesEndpoint });
    }
  }
}
