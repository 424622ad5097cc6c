import { AppModel } from '../model';
import { readCloudAssembly } from './cloud-assembly';
import { DEFAULT_REGION, SANDBOX_ACCOUNT } from './local-ids';
import { readApis } from './read-apis';
import { StackFunctions } from './read-functions';
import { readKeys } from './read-keys';
import { readTables } from './read-tables';
import { readUserPools } from './read-user-pools';
import { StackScope } from './stack-scope';

/**
 * Reads what the sandbox runs from a cloud assembly directory (cdk.out): user pools with their clients and
 * triggers, tables, keys and Lambda-backed REST APIs of every stack, with references resolved to local values
 * in the sandbox's account ({@link SANDBOX_ACCOUNT}). Stacks without a region get {@link DEFAULT_REGION}.
 * Throws, naming the stack and resource, when something the sandbox runs uses what it cannot resolve
 * (e.g. `Fn::ImportValue`).
 */
export function readAssembly(dir: string): AppModel {
  const assembly = readCloudAssembly(dir);
  const scopes = assembly.stacks.map((stack) => new StackScope(stack, stack.region ?? DEFAULT_REGION, SANDBOX_ACCOUNT));
  const parts = scopes.map((scope) => {
    const functions = new StackFunctions(scope, assembly.assets);
    return {
      userPools: readUserPools(scope, functions),
      tables: readTables(scope),
      keys: readKeys(scope),
      apis: readApis(scope, functions),
    };
  });
  return {
    region: scopes[0]?.region ?? DEFAULT_REGION,
    account: SANDBOX_ACCOUNT,
    userPools: parts.flatMap((part) => part.userPools),
    tables: parts.flatMap((part) => part.tables),
    keys: parts.flatMap((part) => part.keys),
    apis: parts.flatMap((part) => part.apis),
  };
}
