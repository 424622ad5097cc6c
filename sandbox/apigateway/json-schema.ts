/**
 * The part of JSON Schema draft 4 that API Gateway request models use, checked before the function runs as
 * API Gateway's request validator does. The messages follow the validator API Gateway reports through
 * `$context.error.validationErrorString` (the wording of java-json-tools' json-schema-validator).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
 */

type Schema = Readonly<Record<string, unknown>>;

/** Keywords this validator checks. */
const CHECKED = new Set([
  'type', 'required', 'properties', 'additionalProperties', 'minLength', 'maxLength', 'pattern', 'enum',
  'items', 'minItems', 'maxItems', 'minimum', 'maximum', 'minProperties', 'maxProperties',
]);
/** Keywords that constrain nothing (annotations). */
const ANNOTATIONS = new Set(['$schema', 'id', 'title', 'description', 'default', 'example', 'examples']);

/** Keywords of `schema` (and its subschemas) the sandbox does not check, so a warning can name them. */
export function uncheckedKeywords(schema: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown) => {
    if (!isObject(node)) return;
    for (const [keyword, value] of Object.entries(node)) {
      if (!CHECKED.has(keyword) && !ANNOTATIONS.has(keyword)) found.add(keyword);
      if (keyword === 'properties' && isObject(value)) Object.values(value).forEach(visit);
      if (keyword === 'items' || keyword === 'additionalProperties') visit(value);
    }
  };
  visit(schema);
  return [...found].sort();
}

/** What is wrong with `value` under `schema`: one message per violation, none when it conforms. */
export function schemaViolations(schema: unknown, value: unknown): string[] {
  const messages: string[] = [];
  check(isObject(schema) ? schema : {}, value, messages);
  return messages;
}

/** API Gateway's `validationErrorString`: the messages as a bracketed, comma-separated list. */
export function validationErrorString(messages: readonly string[]): string {
  return `[${messages.join(', ')}]`;
}

function check(schema: Schema, value: unknown, messages: string[]): void {
  const found = typeOf(value);
  if (schema.type !== undefined) {
    const allowed = (Array.isArray(schema.type) ? schema.type : [schema.type]).map(String);
    if (!allowed.some((type) => type === found || (type === 'number' && found === 'integer'))) {
      messages.push(`instance type (${found}) does not match any allowed primitive type (allowed: ${json(allowed.sort())})`);
      return;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((candidate) => sameJson(candidate, value))) {
    messages.push(`instance value (${json(value)}) not found in enum (possible values: ${json(schema.enum)})`);
  }
  if (typeof value === 'string') checkString(schema, value, messages);
  else if (typeof value === 'number') checkNumber(schema, value, messages);
  else if (Array.isArray(value)) checkArray(schema, value, messages);
  else if (isObject(value)) checkObject(schema, value, messages);
}

function checkString(schema: Schema, value: string, messages: string[]): void {
  const length = [...value].length; // code points, as JSON Schema counts characters
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    messages.push(`string ${json(value)} is too short (length: ${length}, required minimum: ${schema.minLength})`);
  }
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    messages.push(`string ${json(value)} is too long (length: ${length}, maximum allowed: ${schema.maxLength})`);
  }
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) {
    messages.push(`ECMA 262 regex ${json(schema.pattern)} does not match input string ${json(value)}`);
  }
}

function checkNumber(schema: Schema, value: number, messages: string[]): void {
  if (typeof schema.minimum === 'number' && value < schema.minimum) {
    messages.push(`numeric instance is lower than the required minimum (minimum: ${schema.minimum}, found: ${value})`);
  }
  if (typeof schema.maximum === 'number' && value > schema.maximum) {
    messages.push(`numeric instance is greater than the required maximum (maximum: ${schema.maximum}, found: ${value})`);
  }
}

function checkArray(schema: Schema, value: unknown[], messages: string[]): void {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
    messages.push(`array is too short: must have at least ${schema.minItems} elements but instance has ${value.length} elements`);
  }
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    messages.push(`array is too long: must have at most ${schema.maxItems} elements but instance has ${value.length} elements`);
  }
  if (isObject(schema.items)) {
    const items = schema.items;
    value.forEach((item) => check(items, item, messages));
  }
}

function checkObject(schema: Schema, value: Record<string, unknown>, messages: string[]): void {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const count = Object.keys(value).length;
  if (typeof schema.minProperties === 'number' && count < schema.minProperties) {
    messages.push(`object has too few properties (found ${count} but schema requires at least ${schema.minProperties})`);
  }
  if (typeof schema.maxProperties === 'number' && count > schema.maxProperties) {
    messages.push(`object has too many properties (found ${count} but schema requires at most ${schema.maxProperties})`);
  }
  if (Array.isArray(schema.required)) {
    const missing = schema.required.map(String).filter((name) => !Object.prototype.hasOwnProperty.call(value, name)).sort();
    if (missing.length > 0) messages.push(`object has missing required properties (${json(missing)})`);
  }
  const extra = Object.keys(value).filter((name) => !Object.prototype.hasOwnProperty.call(properties, name)).sort();
  if (schema.additionalProperties === false && extra.length > 0) {
    messages.push(`object instance has properties which are not allowed by the schema: ${json(extra)}`);
  }
  for (const [name, member] of Object.entries(value)) {
    const memberSchema = Object.prototype.hasOwnProperty.call(properties, name) ? properties[name] : schema.additionalProperties;
    if (isObject(memberSchema)) check(memberSchema, member, messages);
  }
}

/** The JSON type of a parsed value, with `integer` for whole numbers as draft 4 distinguishes them. */
function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function sameJson(a: unknown, b: unknown): boolean {
  return json(a) === json(b);
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
