import { ApiModel, GatewayResponseModel, PreflightModel, RouteModel } from '../model';
import { CfnResource } from './cloud-assembly';
import { StackFunctions } from './read-functions';
import { StackScope } from './stack-scope';
import { asBoolean } from './template-values';

const ALLOW_ORIGIN = 'method.response.header.Access-Control-Allow-Origin';
const METHOD_RESPONSE_HEADER = 'method.response.header.';
const GATEWAY_RESPONSE_HEADER = 'gatewayresponse.header.';

/**
 * The REST APIs of a stack whose methods are Lambda proxy integrations, in the shape `apigateway.RestApi`
 * with `LambdaIntegration` synthesizes. An API without a stage is left out: it has no URL in AWS either.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-method.html
 */
export function readApis(scope: StackScope, functions: StackFunctions): ApiModel[] {
  return scope.resourcesOfType('AWS::ApiGateway::RestApi').flatMap(([apiId]) => {
    const partOfApi = ([, resource]: [string, CfnResource]) => refOf(resource.Properties?.RestApiId) === apiId;
    const stageName = readStageName(scope, partOfApi);
    if (stageName === undefined) return [];
    const methods = scope.resourcesOfType('AWS::ApiGateway::Method').filter(partOfApi);
    const preflightMethods = methods
      .filter(([, method]) => method.Properties?.HttpMethod === 'OPTIONS' && method.Properties?.Integration?.Type === 'MOCK');
    const corsOrigins = preflightMethods
      .flatMap(([methodId, method]) => readCorsOrigins(scope.resolve(method.Properties?.Integration, methodId)));
    return [{
      id: scope.idOf(apiId),
      restApiId: String(scope.ref(apiId)),
      stageName,
      routes: methods.flatMap(([methodId, method]) => readRoute(scope, functions, methodId, method)),
      corsOrigins: [...new Set(corsOrigins)],
      preflights: preflightMethods.flatMap(([methodId, method]) => readPreflight(scope, methodId, method)),
      gatewayResponses: scope.resourcesOfType('AWS::ApiGateway::GatewayResponse').filter(partOfApi)
        .map(([responseId, response]) => readGatewayResponse(scope, responseId, response)),
    }];
  });
}

/** The stage's name, or the stage a deployment creates. */
function readStageName(scope: StackScope, partOfApi: (entry: [string, CfnResource]) => boolean): string | undefined {
  const stage = scope.resourcesOfType('AWS::ApiGateway::Stage').find(partOfApi);
  if (stage) return scope.resolveString(stage[1].Properties?.StageName, stage[0], '');
  const deployment = scope.resourcesOfType('AWS::ApiGateway::Deployment')
    .find((entry) => partOfApi(entry) && entry[1].Properties?.StageName !== undefined);
  return deployment && scope.resolveString(deployment[1].Properties?.StageName, deployment[0], '');
}

function readRoute(scope: StackScope, functions: StackFunctions, methodId: string, method: CfnResource): RouteModel[] {
  const properties = method.Properties ?? {};
  if (properties.Integration?.Type !== 'AWS_PROXY') return [];
  const uri = String(scope.resolve(properties.Integration.Uri, methodId));
  const arn = /\/functions\/(.+)\/invocations$/.exec(uri)?.[1];
  const fn = arn === undefined ? undefined : functions.findByArn(arn);
  if (!fn) throw scope.error(methodId, `its integration ${uri} does not invoke a function of the stack`);
  return [{
    method: String(scope.resolve(properties.HttpMethod, methodId)),
    path: readPath(scope, methodId, properties.ResourceId) || '/',
    function: fn,
    requestSchemas: readRequestSchemas(scope, properties),
  }];
}

/** The first integration response of an OPTIONS mock method: what API Gateway answers a preflight with. */
function readPreflight(scope: StackScope, methodId: string, method: CfnResource): PreflightModel[] {
  const integration = scope.resolve(method.Properties?.Integration, methodId) as any;
  const response = integration?.IntegrationResponses?.[0];
  if (!response) return [];
  const headers = Object.fromEntries(Object.entries<unknown>(response.ResponseParameters ?? {})
    .filter(([name, value]) => name.startsWith(METHOD_RESPONSE_HEADER) && typeof value === 'string' && /^'.*'$/s.test(value))
    .map(([name, value]) => [name.slice(METHOD_RESPONSE_HEADER.length), String(value).slice(1, -1)]));
  const templates = Object.values<string>(response.ResponseTemplates ?? {}).join('\n');
  return [{
    path: readPath(scope, methodId, method.Properties?.ResourceId) || '/',
    statusCode: Number(response.StatusCode ?? 200),
    headers,
    echoedOrigins: Array.from(templates.matchAll(/\$origin == "([^"]+)"/g), (match) => match[1]),
  }];
}

function readGatewayResponse(scope: StackScope, responseId: string, response: CfnResource): GatewayResponseModel {
  const properties = (scope.resolve(response.Properties, responseId) ?? {}) as Record<string, any>;
  const headers = Object.fromEntries(Object.entries<unknown>(properties.ResponseParameters ?? {})
    .filter(([name]) => name.startsWith(GATEWAY_RESPONSE_HEADER))
    .map(([name, value]) => [name.slice(GATEWAY_RESPONSE_HEADER.length), String(value)]));
  return {
    type: String(properties.ResponseType),
    ...(properties.StatusCode === undefined ? {} : { statusCode: Number(properties.StatusCode) }),
    headers,
    templates: { ...(properties.ResponseTemplates ?? {}) },
  };
}

/** The path of an API resource from its chain of parents; '' for the root resource. */
function readPath(scope: StackScope, methodId: string, resourceId: unknown): string {
  if (isRootResource(resourceId)) return '';
  const logicalId = refOf(resourceId);
  const resource = logicalId === undefined ? undefined : scope.resource(logicalId);
  if (resource?.Type !== 'AWS::ApiGateway::Resource') {
    throw scope.error(methodId, `its resource ${JSON.stringify(resourceId)} is not an API Gateway resource of the stack`);
  }
  const pathPart = scope.resolveString(resource.Properties?.PathPart, logicalId!, '');
  return `${readPath(scope, methodId, resource.Properties?.ParentId)}/${pathPart}`;
}

/** The JSON schemas of the method's request models by content type, when a request validator checks the body. */
function readRequestSchemas(scope: StackScope, properties: Record<string, any>): Record<string, unknown> {
  const validatorId = refOf(properties.RequestValidatorId);
  const validator = validatorId === undefined ? undefined : scope.resource(validatorId);
  if (!validator || !asBoolean(scope.resolve(validator.Properties?.ValidateRequestBody, validatorId!), false)) return {};
  return Object.fromEntries(Object.entries<unknown>(properties.RequestModels ?? {}).flatMap(([contentType, modelRef]) => {
    const modelId = refOf(modelRef);
    const model = modelId === undefined ? undefined : scope.resource(modelId);
    const schema = model && scope.resolve(model.Properties?.Schema, modelId!);
    // A model given by name (e.g. the built-in "Empty") has no schema here; it constrains nothing.
    return schema === undefined ? [] : [[contentType.toLowerCase(), typeof schema === 'string' ? JSON.parse(schema) : schema]];
  }));
}

/**
 * The origins an OPTIONS mock integration allows: the `Access-Control-Allow-Origin` response parameter, and
 * with several origins, the others that CDK's response template compares the request's origin with.
 */
function readCorsOrigins(integration: any): string[] {
  return (integration?.IntegrationResponses ?? []).flatMap((response: any) => {
    const header = response.ResponseParameters?.[ALLOW_ORIGIN];
    const templates = Object.values<string>(response.ResponseTemplates ?? {}).join('\n');
    return [
      ...(typeof header === 'string' ? [header.replace(/^'(.*)'$/, '$1')] : []),
      ...Array.from(templates.matchAll(/\$origin == "([^"]+)"/g), (match) => match[1]),
    ];
  });
}

function isRootResource(value: any): boolean {
  const getAtt = value?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[1] === 'RootResourceId';
}

function refOf(value: any): string | undefined {
  return typeof value?.Ref === 'string' ? value.Ref : undefined;
}
