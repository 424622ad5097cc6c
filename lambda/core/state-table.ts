import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EMPTY_STATE, type IdentifierState, type SignUpAttribute } from './identifier-state';
import { CLIENT_CONFIG, importSdk } from './lazy-client';

/**
 * The identifier state table. An item holds `pk` (the identifier key), `version`, `ttl` (epoch
 * seconds), the `sends` and `failures` lists, the current code (`codeHash`, `codeSalt`, `purpose`,
 * `codeExpiresAt`, `attempts`), the newest link (`linkHash`, `linkExpiresAt`) and `pendingSignUp`.
 */
export interface StateTable {
  load(key: string): Promise<IdentifierState>;
  /** Replaces the item if nobody changed it since `load`; false when someone did. */
  save(key: string, expectedVersion: number, state: Omit<IdentifierState, 'version'>, expiresAt: number): Promise<boolean>;
  /** Applies one conditional update: the state after it, or undefined when its condition did not hold. */
  update(key: string, change: Change): Promise<IdentifierState | undefined>;
}

/** An UpdateItem's expressions. `#ttl` names `ttl`, a DynamoDB reserved word. */
export interface Change {
  readonly condition: string;
  readonly update: string;
  readonly values: Record<string, AttributeValue>;
}

type Item = Record<string, AttributeValue>;
type DynamoDb = typeof import('@aws-sdk/client-dynamodb');

/** The attributes REMOVE clears to void the current code, or the newest link. */
export const CODE_ATTRIBUTES = 'codeHash, codeSalt, purpose, codeExpiresAt, attempts';
export const LINK_ATTRIBUTES = 'linkHash, linkExpiresAt';

export const S = (value: string): AttributeValue => ({ S: value });
export const N = (value: number): AttributeValue => ({ N: String(value) });
export const L = (values: readonly number[]): AttributeValue => ({ L: values.map(N) });

let lambdaClient: Promise<DynamoDBClient> | undefined;
/** The function's own client, created on first use. */
const defaultClient = () => (lambdaClient ??= importSdk<DynamoDb>('@aws-sdk/client-dynamodb').then((sdk) => new sdk.DynamoDBClient(CLIENT_CONFIG)));

export function createStateTable(tableName: string, client: () => Promise<DynamoDBClient> = defaultClient): StateTable {
  const dynamodb = async () => {
    const [sdk, c] = await Promise.all([importSdk<DynamoDb>('@aws-sdk/client-dynamodb'), client()]);
    return { sdk, c };
  };
  return {
    async load(key) {
      const { sdk, c } = await dynamodb();
      const out = await c.send(new sdk.GetItemCommand({ TableName: tableName, Key: { pk: S(key) }, ConsistentRead: true }));
      return out.Item ? toState(out.Item) : EMPTY_STATE;
    },

    async save(key, expectedVersion, state, expiresAt) {
      const { sdk, c } = await dynamodb();
      const first = expectedVersion === 0;
      const out = await conditional(() => c.send(new sdk.PutItemCommand({
        TableName: tableName,
        Item: toItem(key, expectedVersion + 1, state, expiresAt),
        ConditionExpression: first ? 'attribute_not_exists(pk)' : 'version = :v',
        ExpressionAttributeValues: first ? undefined : { ':v': N(expectedVersion) },
      })));
      return out !== undefined;
    },

    async update(key, change) {
      const { sdk, c } = await dynamodb();
      const out = await conditional(() => c.send(new sdk.UpdateItemCommand({
        TableName: tableName,
        Key: { pk: S(key) },
        ConditionExpression: change.condition,
        UpdateExpression: change.update,
        ExpressionAttributeNames: change.update.includes('#ttl') ? { '#ttl': 'ttl' } : undefined,
        ExpressionAttributeValues: change.values,
        ReturnValues: 'ALL_NEW',
      })));
      return out && toState(out.Attributes ?? {});
    },
  };
}

/** The write's result, or undefined when DynamoDB refused it because its condition did not hold. */
async function conditional<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}

function toItem(
  key: string,
  version: number,
  { code, link, sends, failures, pendingSignUp }: Omit<IdentifierState, 'version'>,
  expiresAt: number,
): Item {
  return {
    pk: S(key),
    version: N(version),
    ttl: N(expiresAt),
    sends: L(sends),
    failures: L(failures),
    ...code && {
      codeHash: S(code.hash),
      codeSalt: S(code.salt),
      purpose: S(code.purpose),
      codeExpiresAt: N(code.expiresAt),
      attempts: N(code.attempts),
    },
    ...link && { linkHash: S(link.hash), linkExpiresAt: N(link.expiresAt) },
    ...pendingSignUp && { pendingSignUp: S(pendingSignUp) },
  };
}

function toState(item: Item): IdentifierState {
  const numbers = (list?: AttributeValue) => (list?.L ?? []).map((entry) => Number(entry.N));
  return {
    version: Number(item.version?.N ?? 0),
    code: item.codeHash && {
      hash: item.codeHash.S!,
      salt: item.codeSalt.S!,
      purpose: item.purpose.S!,
      expiresAt: Number(item.codeExpiresAt.N),
      attempts: Number(item.attempts.N),
    },
    link: item.linkHash && { hash: item.linkHash.S!, expiresAt: Number(item.linkExpiresAt.N) },
    sends: numbers(item.sends),
    failures: numbers(item.failures),
    ...item.pendingSignUp && { pendingSignUp: item.pendingSignUp.S as SignUpAttribute },
  };
}
