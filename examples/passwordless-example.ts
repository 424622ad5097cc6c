import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PasswordlessUserPool } from '../src';

/** A user pool where users sign in with a one-time code sent by email or SMS. */
export class PasswordlessExample extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const auth = new PasswordlessUserPool(this, 'Auth', {
      email: { fromAddress: 'no-reply@example.com' },
      sms: { allowedCountryCallingCodes: ['1', '44'] },
    });

    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.userPoolClient.userPoolClientId });
  }
}
