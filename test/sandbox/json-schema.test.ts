import { schemaViolations, uncheckedKeywords, validationErrorString } from '../../sandbox/apigateway/json-schema';

// The JSON-schema subset of API Gateway request models, with the messages API Gateway's validator gives.

const REQUEST = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'MagicLinkRequest',
  type: 'object',
  required: ['email', 'redirectUri'],
  properties: {
    email: { type: 'string', minLength: 3, maxLength: 254, pattern: '@' },
    redirectUri: { type: 'string', minLength: 1, maxLength: 2048 },
    kind: { type: 'string', enum: ['link', 'code'] },
    tags: { type: 'array', maxItems: 2, items: { type: 'string', maxLength: 3 } },
    count: { type: ['integer', 'null'], minimum: 1, maximum: 5 },
  },
  additionalProperties: false,
};

test('a conforming value has no violations', () => {
  expect(schemaViolations(REQUEST, { email: 'a@b', redirectUri: 'x', kind: 'link', tags: ['a'], count: null })).toEqual([]);
  expect(schemaViolations(REQUEST, { email: 'a@b', redirectUri: 'x', count: 5 })).toEqual([]);
});

test.each([
  [{ email: 'a@b' }, 'object has missing required properties (["redirectUri"])'],
  [{}, 'object has missing required properties (["email","redirectUri"])'],
  [{ email: 'a@b', redirectUri: 'x', b: 1, a: 2 }, 'object instance has properties which are not allowed by the schema: ["a","b"]'],
  [{ email: 'abc', redirectUri: 'x' }, 'ECMA 262 regex "@" does not match input string "abc"'],
  [{ email: 'a@b', redirectUri: '' }, 'string "" is too short (length: 0, required minimum: 1)'],
  [{ email: 'a@b', redirectUri: 'x', kind: 'other' }, 'instance value ("other") not found in enum (possible values: ["link","code"])'],
  [{ email: 'a@b', redirectUri: 'x', tags: ['a', 'b', 'c'] }, 'array is too long: must have at most 2 elements but instance has 3 elements'],
  [{ email: 'a@b', redirectUri: 'x', tags: ['abcd'] }, 'string "abcd" is too long (length: 4, maximum allowed: 3)'],
  [{ email: 'a@b', redirectUri: 'x', count: 1.5 }, 'instance type (number) does not match any allowed primitive type (allowed: ["integer","null"])'],
  [{ email: 'a@b', redirectUri: 'x', count: 0 }, 'numeric instance is lower than the required minimum (minimum: 1, found: 0)'],
  [{ email: 'a@b', redirectUri: 'x', count: 6 }, 'numeric instance is greater than the required maximum (maximum: 5, found: 6)'],
  ['text', 'instance type (string) does not match any allowed primitive type (allowed: ["object"])'],
])('%j: %s', (value, message) => {
  expect(schemaViolations(REQUEST, value)).toEqual([message]);
});

test('lengths count characters (code points), not UTF-16 units', () => {
  expect(schemaViolations({ type: 'string', maxLength: 2 }, '😀😀')).toEqual([]);
  expect(schemaViolations({ type: 'string', maxLength: 1 }, '😀😀')).toHaveLength(1);
});

test('"number" accepts integers', () => {
  expect(schemaViolations({ type: 'number' }, 3)).toEqual([]);
});

test('the validationErrorString brackets and joins the messages', () => {
  expect(validationErrorString(['a', 'b'])).toBe('[a, b]');
});

test('keywords the validator does not check are named; annotations are not', () => {
  expect(uncheckedKeywords(REQUEST)).toEqual([]);
  expect(uncheckedKeywords({
    type: 'object',
    properties: { email: { type: 'string', format: 'email' }, nested: { $ref: '#/definitions/x' } },
    oneOf: [],
  })).toEqual(['$ref', 'format', 'oneOf']);
});

test('minProperties and maxProperties count the members of an object', () => {
  const schema = { type: 'object', minProperties: 1, maxProperties: 2 };
  expect(schemaViolations(schema, { a: 1 })).toEqual([]);
  expect(schemaViolations(schema, {})).toEqual(['object has too few properties (found 0 but schema requires at least 1)']);
  expect(schemaViolations(schema, { a: 1, b: 2, c: 3 })).toEqual(['object has too many properties (found 3 but schema requires at most 2)']);
  expect(uncheckedKeywords(schema)).toEqual([]);
});
