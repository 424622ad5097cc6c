import type { FunctionModel } from '../../../sandbox/model';

/** A Node.js function model for code in `codeDir`, as readAssembly would give it. */
export function functionModel(codeDir: string, overrides: Partial<FunctionModel> = {}): FunctionModel {
  const name = overrides.name ?? 'test-function';
  return {
    id: `TestStack/${name}`,
    name,
    arn: `arn:aws:lambda:eu-west-1:000000000000:function:${name}`,
    codeDir,
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    timeoutSeconds: 3,
    memoryMb: 128,
    environment: {},
    ...overrides,
  };
}
