import { partitionOf, urlSuffixOf } from './local-ids';

/** What resolving the intrinsic functions of one stack's template needs to know. */
export interface IntrinsicScope {
  readonly stackName: string;
  readonly region: string;
  readonly account: string;
  /** What `Ref` to a resource or parameter of the template resolves to; undefined when the sandbox has no local value. */
  ref(logicalId: string): unknown;
  /** What `Fn::GetAtt` resolves to; undefined when the sandbox has no local value. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** The resource's type and logical ID, for error messages. */
  describe(logicalId: string): string;
}

/** A template uses an intrinsic function, or references something, that the sandbox cannot resolve locally. */
export class UnsupportedIntrinsicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedIntrinsicError';
  }
}

const SUPPORTED = 'Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select and Fn::Split';

/**
 * Resolves the intrinsic functions in a template value (a property of the resource `resourceId`) to
 * local values. `Ref: AWS::NoValue` removes the property or list item, as in CloudFormation.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
 */
export function resolveIntrinsics(value: unknown, scope: IntrinsicScope, resourceId: string): unknown {
  const fail = (message: string) => new UnsupportedIntrinsicError(`Stack ${scope.stackName}, resource ${resourceId}: ${message}`);

  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve).filter((item) => item !== undefined);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node);
    if (entries.length === 1 && isIntrinsic(entries[0][0])) return intrinsic(entries[0][0], entries[0][1]);
    return Object.fromEntries(entries.map(([key, item]) => [key, resolve(item)]).filter(([, item]) => item !== undefined));
  };

  const intrinsic = (name: string, argument: any): unknown => {
    switch (name) {
      case 'Ref':
        return ref(argument);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = typeof argument === 'string' ? splitOnce(argument, '.') : argument;
        return getAtt(logicalId, String(resolve(attribute)));
      }
      case 'Fn::Join': {
        const [delimiter, items] = argument;
        return list(resolve(items), name).map((item) => text(item, name)).join(delimiter);
      }
      case 'Fn::Sub': {
        const [template, variables] = typeof argument === 'string' ? [argument, {}] : argument;
        return substitute(template, resolve(variables) as Record<string, unknown>);
      }
      case 'Fn::Select': {
        const [index, items] = argument;
        const selected = list(resolve(items), name)[Number(resolve(index))];
        if (selected === undefined) throw fail(`Fn::Select index ${JSON.stringify(index)} is out of range`);
        return selected;
      }
      case 'Fn::Split': {
        const [delimiter, source] = argument;
        return text(resolve(source), name).split(delimiter);
      }
      default:
        throw fail(`${name} is not supported by the sandbox (it resolves ${SUPPORTED})`);
    }
  };

  const ref = (logicalId: string): unknown => {
    if (logicalId.startsWith('AWS::')) return pseudoParameter(logicalId);
    const resolved = scope.ref(logicalId);
    if (resolved === undefined) throw fail(`Ref to ${scope.describe(logicalId)} is not supported by the sandbox`);
    return resolved;
  };

  const getAtt = (logicalId: string, attribute: string): unknown => {
    const resolved = scope.getAtt(logicalId, attribute);
    if (resolved === undefined) throw fail(`Fn::GetAtt ${attribute} of ${scope.describe(logicalId)} is not supported by the sandbox`);
    return resolved;
  };

  const pseudoParameter = (name: string): unknown => {
    switch (name) {
      case 'AWS::Region': return scope.region;
      case 'AWS::AccountId': return scope.account;
      case 'AWS::Partition': return partitionOf(scope.region);
      case 'AWS::URLSuffix': return urlSuffixOf(scope.region);
      case 'AWS::StackName': return scope.stackName;
      case 'AWS::NoValue': return undefined;
      default: throw fail(`Ref to the pseudo parameter ${name} is not supported by the sandbox`);
    }
  };

  // `${Name}` is a Ref (or a variable), `${Name.Attribute}` a GetAtt, `${!Literal}` the literal `${Literal}`.
  const substitute = (template: string, variables: Record<string, unknown>): string =>
    template.replace(/\$\{([^}]*)\}/g, (_match, expression: string) => {
      if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
      const name = expression.trim();
      if (name in variables) return text(variables[name], 'Fn::Sub');
      if (name.includes('.') && !name.startsWith('AWS::')) return text(getAtt(...splitOnce(name, '.')), 'Fn::Sub');
      return text(ref(name), 'Fn::Sub');
    });

  const list = (node: unknown, functionName: string): unknown[] => {
    if (!Array.isArray(node)) throw fail(`${functionName} needs a list, got ${JSON.stringify(node)}`);
    return node;
  };

  const text = (node: unknown, functionName: string): string => {
    if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') return String(node);
    throw fail(`${functionName} needs a string, got ${JSON.stringify(node)}`);
  };

  return resolve(value);
}

function isIntrinsic(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

function splitOnce(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, ''] : [value.slice(0, at), value.slice(at + 1)];
}
