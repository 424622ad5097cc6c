import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { MagicLinkApi } from '../../src';
import { fixture, magicLinkApi, Overrides, synth } from './support/magic-link-stack';
import {
  attributeFunction,
  FoundFunction,
  functionsByDescription,
  getAtt,
  logicalIdOf,
  methodOn,
  modelIdOf,
  signInFunction,
} from './support/template-queries';

interface OptionalRoute {
  readonly route: string;
  readonly pathPart: string;
  readonly enabledBy: Overrides;
  readonly model: string;
  readonly functionOf: (template: Template) => FoundFunction;
  /** The request headers its preflight allows. */
  readonly allowHeaders: string;
}

/** The routes MagicLinkApi adds on request, each behind its own function. */
const ROUTES: OptionalRoute[] = [
  { route: 'POST /sign-in', pathPart: 'sign-in', enabledBy: { autoSignUp: true }, model: 'SignInRequest', functionOf: signInFunction, allowHeaders: 'Content-Type' },
  {
    route: 'POST /attributes',
    pathPart: 'attributes',
    enabledBy: { attributeUpdates: true },
    model: 'AttributesRequest',
    functionOf: attributeFunction,
    allowHeaders: 'Content-Type,Authorization',
  },
  {
    route: 'POST /attributes/verify',
    pathPart: 'verify',
    enabledBy: { attributeUpdates: true },
    model: 'AttributesVerifyRequest',
    functionOf: attributeFunction,
    allowHeaders: 'Content-Type,Authorization',
  },
];

interface OptionalFeature {
  readonly prop: string;
  readonly enabledBy: Overrides;
  /** Props that enable everything but this feature. */
  readonly otherwise: Overrides;
  readonly pathPart: string;
  readonly handler: string;
  readonly functionOf: (template: Template) => FoundFunction;
  /** What the API exposes of the feature: its endpoint and its function. */
  readonly exposed: (api: MagicLinkApi) => { endpoint?: string; fn?: lambda.IFunction };
}

/** The props that add routes: each adds a function and an endpoint under the API's URL. */
const FEATURES: OptionalFeature[] = [
  {
    prop: 'autoSignUp',
    enabledBy: { autoSignUp: true },
    otherwise: {},
    pathPart: 'sign-in',
    handler: 'SignInApi handler',
    functionOf: signInFunction,
    exposed: (api) => ({ endpoint: api.signInEndpoint, fn: api.signInFunction }),
  },
  {
    prop: 'attributeUpdates',
    enabledBy: { attributeUpdates: true },
    otherwise: { autoSignUp: true },
    pathPart: 'attributes',
    handler: 'AttributeApi handler',
    functionOf: attributeFunction,
    exposed: (api) => ({ endpoint: api.attributesEndpoint, fn: api.attributeFunction }),
  },
];

describe('MagicLinkApi optional routes', () => {
  test.each(ROUTES)('$route is a Lambda proxy integration of its function, without authorization or API key', ({ pathPart, enabledBy, functionOf }) => {
    // Given / When
    const template = synth(enabledBy);

    // Then
    const post = methodOn(template, pathPart, 'POST');
    expect(post.Properties).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: false });
    expect(post.Properties.AuthorizerId).toBeUndefined();
    expect(post.Properties.Integration.Type).toBe('AWS_PROXY');
    expect(JSON.stringify(post.Properties.Integration.Uri)).toContain(functionOf(template).id);
  });

  test.each(ROUTES)('$route: the shared request validator checks every body against its model, whatever its content type', ({ pathPart, enabledBy, model }) => {
    // Given / When
    const template = synth(enabledBy);

    // Then
    const post = methodOn(template, pathPart, 'POST');
    const modelRef = { Ref: modelIdOf(template, model) };
    expect(post.Properties.RequestModels).toEqual({ 'application/json': modelRef, '$default': modelRef });
    expect(post.Properties.RequestValidatorId).toEqual({ Ref: logicalIdOf(template, 'AWS::ApiGateway::RequestValidator') });
  });

  test.each(ROUTES)('the $route preflight allows POST with $allowHeaders for the allowed origins', ({ pathPart, enabledBy, allowHeaders }) => {
    // Given / When
    const template = synth({ ...enabledBy, allowedOrigins: ['https://www.example.com'] });

    // Then
    const response = methodOn(template, pathPart, 'OPTIONS').Properties.Integration.IntegrationResponses[0];
    expect(response.ResponseParameters).toEqual({
      'method.response.header.Access-Control-Allow-Origin': "'https://www.example.com'",
      'method.response.header.Access-Control-Allow-Methods': "'POST'",
      'method.response.header.Access-Control-Allow-Headers': `'${allowHeaders}'`,
      'method.response.header.Access-Control-Max-Age': "'3600'",
      'method.response.header.Vary': "'Origin'",
    });
  });

  test.each(FEATURES)('without $prop, its route and function do not exist', ({ otherwise, pathPart, handler, exposed }) => {
    // Given
    const f = fixture();

    // When
    const api = magicLinkApi(f, otherwise);

    // Then
    const template = Template.fromStack(f.stack);
    expect(template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: pathPart } })).toEqual({});
    expect(functionsByDescription(template, handler)).toEqual([]);
    const { endpoint, fn } = exposed(api);
    expect(endpoint).toBeUndefined();
    expect(fn).toBeUndefined();
  });

  test.each(FEATURES)('with $prop, exposes the endpoint and the function', ({ enabledBy, pathPart, functionOf, exposed }) => {
    // Given
    const f = fixture();

    // When
    const api = magicLinkApi(f, enabledBy);

    // Then
    const url = JSON.stringify(f.stack.resolve(api.url));
    const { endpoint, fn } = exposed(api);
    const resolvedEndpoint = JSON.stringify(f.stack.resolve(endpoint));
    expect(resolvedEndpoint).toMatch(new RegExp(`/${pathPart}"\\]\\]}$`));
    expect(resolvedEndpoint.replace(pathPart, '')).toEqual(url);
    expect(f.stack.resolve(fn!.functionArn)).toEqual(getAtt(functionOf(Template.fromStack(f.stack)).id));
  });
});
