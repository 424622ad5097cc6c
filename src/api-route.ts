import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { suppressNagRule } from './nag-suppressions';

/** What the routes of one REST API share: the API, its body validator and the origins CORS allows. */
export interface ApiRoutes {
  readonly api: apigateway.RestApi;
  readonly validator: apigateway.IRequestValidator;
  readonly allowedOrigins: string[];
}

/** One `POST` route: the body it accepts, the function that answers and the headers browsers may send. */
export interface PostRoute {
  /** The request body; its `title` is also the model's construct id. */
  readonly schema: apigateway.JsonSchema;
  readonly handler: lambda.IFunction;
  readonly allowHeaders: string[];
  /** Why the route has no API Gateway authorizer (cdk-nag APIG4 and COG4). */
  readonly publicBecause: { readonly apig4: string; readonly cog4: string };
}

/**
 * `POST /<parent>/<pathPart>`: a Lambda proxy integration without API Gateway authorization, every body checked
 * against the schema, and a CORS preflight for the allowed origins.
 */
export function addPostRoute(routes: ApiRoutes, parent: apigateway.IResource, pathPart: string, route: PostRoute): apigateway.Method {
  const resource = parent.addResource(pathPart);
  const model = routes.api.addModel(route.schema.title!, { contentType: 'application/json', schema: route.schema });
  const post = resource.addMethod('POST', new apigateway.LambdaIntegration(route.handler, { proxy: true, allowTestInvoke: false }), {
    authorizationType: apigateway.AuthorizationType.NONE,
    apiKeyRequired: false,
    // API Gateway validates only bodies whose content type has a model: $default covers every other type.
    requestModels: { 'application/json': model, '$default': model },
    requestValidator: routes.validator,
  });
  resource.addCorsPreflight({
    allowOrigins: routes.allowedOrigins,
    allowMethods: ['POST'],
    allowHeaders: route.allowHeaders,
    maxAge: Duration.hours(1),
  });
  suppressNagRule(post, 'AwsSolutions-APIG4', route.publicBecause.apig4);
  suppressNagRule(post, 'AwsSolutions-COG4', route.publicBecause.cog4);
  return post;
}
