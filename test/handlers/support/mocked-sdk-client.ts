import { mockClient } from 'aws-sdk-client-mock';

/** `mockClient` for the unit tests of the SDK calls: reset before each test, in a region the SDK accepts. */
export const mockedSdkClient: typeof mockClient = (client, options) => {
  const stub = mockClient(client, options);
  beforeAll(() => {
    process.env.AWS_REGION = 'us-east-1';
  });
  beforeEach(() => {
    stub.reset();
  });
  return stub;
};
