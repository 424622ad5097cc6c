import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PasswordlessUserPool } from '../src';

/** A user pool where users sign in with a one-time code sent by email or SMS, or with a link sent by email. */
export class PasswordlessExample extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const auth = new PasswordlessUserPool(this, 'Auth', {
      email: { fromAddress: 'no-reply@example.com' },
      sms: { allowedCountryCallingCodes: ['1', '44'] },
      // The sandbox's demo page; a loopback entry matches any port.
      magicLink: { redirectUrls: ['http://127.0.0.1/demo/'] },
    });

    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'MagicLinkEndpoint', { value: auth.magicLinkApi!.endpoint });
  }
}
