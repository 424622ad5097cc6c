import { TableModel } from '../model';
import { StackScope } from './stack-scope';
import { asBoolean } from './template-values';

/** The DynamoDB tables of a stack, under their local names. */
export function readTables(scope: StackScope): TableModel[] {
  return scope.resourcesOfType('AWS::DynamoDB::Table').map(([logicalId, resource]) => {
    const properties = resource.Properties ?? {};
    const resolve = (value: unknown): any => scope.resolve(value, logicalId);
    const ttl = resolve(properties.TimeToLiveSpecification);
    return {
      id: scope.idOf(logicalId),
      name: scope.tableName(logicalId),
      arn: String(scope.getAtt(logicalId, 'Arn')),
      keySchema: resolve(properties.KeySchema) ?? [],
      attributeDefinitions: resolve(properties.AttributeDefinitions) ?? [],
      ...(ttl && asBoolean(ttl.Enabled, false) ? { ttlAttribute: String(ttl.AttributeName) } : {}),
    };
  });
}
