import type { AttributeValue, DynamoDBClient, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { EMPTY_STATE, IdentifierState, IssuedCode, IssuedLink } from './identifier-state';

/**
 * The identifier state table. Every change is one conditional write, so concurrent requests can
 * neither reuse a code (R6) nor evaluate more answers than the attempt limit (R4).
 */
export interface StateStore {
  load(key: string): Promise<IdentifierState>;
  /** Replaces the item if nobody changed it since `load`; false when someone did. */
  save(key: string, expectedVersion: number, state: Omit<IdentifierState, 'version'>, expiresAt: number): Promise<boolean>;
  /** Counts one answer against the current code, if it is unexpired, for `purpose` and under the limit. */
  reserveAttempt(key: string, now: number, maxAttempts: number, purpose: string): Promise<IssuedCode | undefined>;
  /** Voids the code `hash` and clears the failures: true for exactly one caller. */
  consume(key: string, hash: string): Promise<boolean>;
  recordFailure(key: string, now: number, expiresAt: number, memory: number): Promise<void>;
  /** Takes back a code that could not be delivered, and its send (nothing left valid that was never sent). */
  withdraw(key: string, hash: string, sends: readonly number[]): Promise<void>;
  /** Voids the unexpired link `hash` and clears the failures: true for exactly one caller (R6). */
  consumeLink(key: string, hash: string, now: number): Promise<boolean>;
  /** Takes back a link that could not be delivered, and its send. */
  withdrawLink(key: string, hash: string, sends: readonly number[]): Promise<void>;
  /** Counts one request in a fixed window item; false (and not counted) once `max` is reached. */
  countRequest(key: string, max: number, expiresAt: number): Promise<boolean>;
}

const CODE_ATTRIBUTES = 'codeHash, codeSalt, purpose, codeExpiresAt, attempts';
const LINK_ATTRIBUTES = 'linkHash, linkExpiresAt';

export function createStateStore(tableName: string, client: () => Promise<DynamoDBClient>): StateStore {
  const ddb = async () => {
    const [sdk, c] = await Promise.all([import('@aws-sdk/client-dynamodb'), client()]);
    return { sdk, c };
  };
  const Key = (key: string) => ({ pk: { S: key } });
  /** Runs one conditional update; undefined when its condition did not hold. */
  const update = async (input: Omit<UpdateItemCommandInput, 'TableName'>) => {
    const { sdk, c } = await ddb();
    return conditional(() => c.send(new sdk.UpdateItemCommand({ TableName: tableName, ...input })));
  };

  return {
    async load(key) {
      const { sdk, c } = await ddb();
      const out = await c.send(new sdk.GetItemCommand({ TableName: tableName, Key: Key(key), ConsistentRead: true }));
      return out.Item ? toState(out.Item) : EMPTY_STATE;
    },

    async save(key, expectedVersion, state, expiresAt) {
      const { sdk, c } = await ddb();
      const saved = await conditional(() => c.send(new sdk.PutItemCommand({
        TableName: tableName,
        Item: toItem(key, expectedVersion + 1, state, expiresAt),
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
        ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':v': num(expectedVersion) },
      })));
      return saved !== undefined;
    },

    async reserveAttempt(key, now, maxAttempts, purpose) {
      const out = await update({
        Key: Key(key),
        ConditionExpression: 'attribute_exists(codeHash) AND purpose = :purpose AND codeExpiresAt > :now AND attempts < :max',
        UpdateExpression: 'ADD attempts :one, version :one',
        ExpressionAttributeValues: { ':purpose': { S: purpose }, ':now': num(now), ':max': num(maxAttempts), ':one': num(1) },
        ReturnValues: 'ALL_NEW',
      });
      return out?.Attributes ? toState(out.Attributes).code : undefined;
    },

    async consume(key, hash) {
      const out = await update({
        Key: Key(key),
        ConditionExpression: 'codeHash = :hash',
        UpdateExpression: `REMOVE ${CODE_ATTRIBUTES} SET failures = :none ADD version :one`,
        ExpressionAttributeValues: { ':hash': { S: hash }, ':none': { L: [] }, ':one': num(1) },
      });
      return out !== undefined;
    },

    async recordFailure(key, now, expiresAt, memory) {
      // A full failure memory already says "locked" for the whole window, so a refused append loses nothing.
      await update({
        Key: Key(key),
        ConditionExpression: 'attribute_not_exists(failures) OR size(failures) < :memory',
        UpdateExpression: 'SET failures = list_append(if_not_exists(failures, :none), :now), #ttl = :ttl ADD version :one',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':memory': num(memory), ':none': { L: [] }, ':now': { L: [num(now)] }, ':ttl': num(expiresAt), ':one': num(1),
        },
      });
    },

    async withdraw(key, hash, sends) {
      // When the condition fails the code was already replaced or consumed: nothing of ours is left.
      await update({
        Key: Key(key),
        ConditionExpression: 'codeHash = :hash',
        UpdateExpression: `REMOVE ${CODE_ATTRIBUTES} SET sends = :sends ADD version :one`,
        ExpressionAttributeValues: { ':hash': { S: hash }, ':sends': { L: sends.map(num) }, ':one': num(1) },
      });
    },

    async consumeLink(key, hash, now) {
      const out = await update({
        Key: Key(key),
        ConditionExpression: 'linkHash = :hash AND linkExpiresAt > :now',
        UpdateExpression: `REMOVE ${LINK_ATTRIBUTES} SET failures = :none ADD version :one`,
        ExpressionAttributeValues: { ':hash': { S: hash }, ':now': num(now), ':none': { L: [] }, ':one': num(1) },
      });
      return out !== undefined;
    },

    async countRequest(key, max, expiresAt) {
      const out = await update({
        Key: Key(key),
        ConditionExpression: 'attribute_not_exists(requests) OR requests < :max',
        UpdateExpression: 'ADD requests :one SET #ttl = if_not_exists(#ttl, :ttl)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':max': num(max), ':one': num(1), ':ttl': num(expiresAt) },
      });
      return out !== undefined;
    },

    async withdrawLink(key, hash, sends) {
      await update({
        Key: Key(key),
        ConditionExpression: 'linkHash = :hash',
        UpdateExpression: `REMOVE ${LINK_ATTRIBUTES} SET sends = :sends ADD version :one`,
        ExpressionAttributeValues: { ':hash': { S: hash }, ':sends': { L: sends.map(num) }, ':one': num(1) },
      });
    },
  };
}

/** The write's result, or undefined when DynamoDB refused it because its condition did not hold. */
async function conditional<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}

function num(value: number): AttributeValue {
  return { N: String(value) };
}

function toItem(key: string, version: number, state: Omit<IdentifierState, 'version'>, expiresAt: number): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    pk: { S: key },
    version: num(version),
    ttl: num(expiresAt),
    sends: { L: state.sends.map(num) },
    failures: { L: state.failures.map(num) },
  };
  if (state.code) {
    item.codeHash = { S: state.code.hash };
    item.codeSalt = { S: state.code.salt };
    item.purpose = { S: state.code.purpose };
    item.codeExpiresAt = num(state.code.expiresAt);
    item.attempts = num(state.code.attempts);
  }
  if (state.link) {
    item.linkHash = { S: state.link.hash };
    item.linkExpiresAt = num(state.link.expiresAt);
  }
  return item;
}

function toState(item: Record<string, AttributeValue>): IdentifierState {
  const numbers = (value?: AttributeValue) => (value?.L ?? []).map((n) => Number(n.N));
  const code: IssuedCode | undefined = item.codeHash?.S
    ? {
      hash: item.codeHash.S,
      salt: item.codeSalt!.S!,
      purpose: item.purpose!.S!,
      expiresAt: Number(item.codeExpiresAt!.N),
      attempts: Number(item.attempts!.N),
    }
    : undefined;
  const link: IssuedLink | undefined = item.linkHash?.S
    ? { hash: item.linkHash.S, expiresAt: Number(item.linkExpiresAt!.N) }
    : undefined;
  return { version: Number(item.version?.N ?? 0), code, link, sends: numbers(item.sends), failures: numbers(item.failures) };
}
