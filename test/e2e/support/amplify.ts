import { Amplify } from 'aws-amplify';
import type { Sandbox } from '../../../sandbox/start';

/** Points Amplify v6 at the sandbox's pool, app client and Cognito endpoint, as an app would configure it. */
export function configureAmplify(sandbox: Sandbox): void {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: sandbox.info.userPoolId,
        userPoolClientId: sandbox.info.userPoolClientId,
        userPoolEndpoint: sandbox.info.cognitoEndpoint,
      },
    },
  });
}
