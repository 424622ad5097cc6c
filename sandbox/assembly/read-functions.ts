import * as fs from 'node:fs';
import * as path from 'node:path';
import { FunctionModel } from '../model';
import { FileAsset } from './cloud-assembly';
import { StackScope } from './stack-scope';
import { asNumber } from './template-values';

const TYPE = 'AWS::Lambda::Function';

/**
 * The Lambda functions of a stack, each read when first asked for: only the functions the sandbox runs
 * (triggers, API routes) need their code and environment resolvable locally.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html
 */
export class StackFunctions {
  private readonly functions = new Map<string, FunctionModel>();

  constructor(private readonly scope: StackScope, private readonly assets: ReadonlyMap<string, FileAsset>) {}

  /** The function of the stack with this ARN, undefined when there is none. */
  findByArn(arn: string): FunctionModel | undefined {
    const found = this.scope.resourcesOfType(TYPE).find(([logicalId]) => this.scope.getAtt(logicalId, 'Arn') === arn);
    return found && this.get(found[0]);
  }

  /** The function's `Description`, empty when it has none. */
  description(logicalId: string): string {
    return this.scope.resolveString(this.scope.resource(logicalId)?.Properties?.Description, logicalId, '');
  }

  /** The logical ID of a function model of this stack. */
  logicalIdOf(fn: FunctionModel): string {
    return fn.id.slice(this.scope.stackName.length + 1);
  }

  get(logicalId: string): FunctionModel {
    let fn = this.functions.get(logicalId);
    if (!fn) {
      fn = this.read(logicalId);
      this.functions.set(logicalId, fn);
    }
    return fn;
  }

  private read(logicalId: string): FunctionModel {
    const scope = this.scope;
    const properties = scope.resource(logicalId)?.Properties ?? {};
    const variables = scope.resolve(properties.Environment?.Variables ?? {}, logicalId) as Record<string, unknown>;
    return {
      id: scope.idOf(logicalId),
      name: scope.functionName(logicalId),
      arn: String(scope.getAtt(logicalId, 'Arn')),
      codeDir: this.codeDir(logicalId, properties),
      handler: scope.resolveString(properties.Handler, logicalId, ''),
      runtime: scope.resolveString(properties.Runtime, logicalId, ''),
      timeoutSeconds: asNumber(scope.resolve(properties.Timeout, logicalId), 3),
      memoryMb: asNumber(scope.resolve(properties.MemorySize, logicalId), 128),
      environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, String(value)])),
    };
  }

  /** The asset directory that `Code.S3Key` names (the CDK CLI zips it on deploy; the sandbox runs it in place). */
  private codeDir(logicalId: string, properties: Record<string, any>): string {
    const code = properties.Code ?? {};
    if (code.ZipFile !== undefined) throw this.scope.error(logicalId, 'inline code (Code.ZipFile) is not supported by the sandbox; use an asset');
    if (code.S3Key === undefined) throw this.scope.error(logicalId, 'only functions with S3 asset code are supported by the sandbox (no Code.S3Key)');
    const key = String(this.scope.resolve(code.S3Key, logicalId));
    const asset = this.assets.get(key);
    if (!asset) throw this.scope.error(logicalId, `its code ${key} is not an asset of the cloud assembly`);
    if (asset.packaging !== 'zip' || !fs.statSync(asset.path).isDirectory()) {
      throw this.scope.error(logicalId, `its code ${path.basename(asset.path)} is not a directory asset; the sandbox runs only unzipped directory assets`);
    }
    return asset.path;
  }
}
