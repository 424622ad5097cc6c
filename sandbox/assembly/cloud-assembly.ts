import * as fs from 'node:fs';
import * as path from 'node:path';

/** A resource of a CloudFormation template, as synthesized. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
}

/** One stack of the assembly: its name, where it deploys and its template. */
export interface StackTemplate {
  readonly stackName: string;
  /** Undefined for an environment-agnostic stack. */
  readonly region?: string;
  readonly template: CfnTemplate;
}

/** A file asset: what the CDK CLI would zip (a directory) or upload as is (a file). */
export interface FileAsset {
  /** Absolute path of the asset's source in the assembly. */
  readonly path: string;
  readonly packaging: 'zip' | 'file';
}

export interface CloudAssembly {
  readonly stacks: StackTemplate[];
  /** Each file asset by the S3 object key it is published to (e.g. `<hash>.zip`, what `Code.S3Key` names). */
  readonly assets: ReadonlyMap<string, FileAsset>;
}

/**
 * Reads the stacks and file assets of a cloud assembly directory (cdk.out), including the nested
 * assemblies of stages. The manifest is read as plain JSON rather than with aws-cdk-lib's cx-api, so an
 * assembly written by a newer aws-cdk-lib than the sandbox's is still readable.
 */
export function readCloudAssembly(dir: string): CloudAssembly {
  const stacks: StackTemplate[] = [];
  const assets = new Map<string, FileAsset>();
  collect(path.resolve(dir), stacks, assets);
  return { stacks, assets };
}

function collect(dir: string, stacks: StackTemplate[], assets: Map<string, FileAsset>): void {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${dir} is not a cloud assembly: it has no manifest.json`);
  const manifest = readJson(manifestFile);
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    const properties = artifact.properties ?? {};
    switch (artifact.type) {
      case 'aws:cloudformation:stack':
        stacks.push({
          stackName: properties.stackName ?? id,
          region: regionOf(artifact.environment),
          template: readJson(path.join(dir, properties.templateFile)),
        });
        break;
      case 'cdk:asset-manifest':
        addFileAssets(dir, readJson(path.join(dir, properties.file)), assets);
        break;
      case 'cdk:cloud-assembly':
        collect(path.join(dir, properties.directoryName), stacks, assets);
        break;
    }
  }
}

function addFileAssets(dir: string, assetManifest: any, assets: Map<string, FileAsset>): void {
  for (const file of Object.values<any>(assetManifest.files ?? {})) {
    const asset: FileAsset = { path: path.resolve(dir, file.source.path), packaging: file.source.packaging ?? 'file' };
    for (const destination of Object.values<any>(file.destinations ?? {})) assets.set(destination.objectKey, asset);
  }
}

/** `aws://<account>/<region>` → region, undefined when unknown. */
function regionOf(environment: string | undefined): string | undefined {
  const region = environment?.split('/')[3];
  return region && region !== 'unknown-region' ? region : undefined;
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}
