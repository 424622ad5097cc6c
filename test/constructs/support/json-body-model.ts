/**
 * The expected properties of an API Gateway model for a JSON object body titled `title`: a draft-04 schema
 * that takes the given fields (`properties`, with `required` or `minProperties`) and nothing else.
 */
export function jsonBodyModel(title: string, fields: { properties: object; required?: string[]; minProperties?: number }) {
  return {
    ContentType: 'application/json',
    Schema: {
      $schema: 'http://json-schema.org/draft-04/schema#',
      title,
      type: 'object',
      additionalProperties: false,
      ...fields,
    },
  };
}
