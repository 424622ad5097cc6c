import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { PasswordlessExample } from './passwordless-example';

const app = new App({ outdir: process.env.CDK_OUTDIR ?? path.join(__dirname, 'cdk.out') });
const stack = new PasswordlessExample(app, 'PasswordlessExample', { env: { region: 'us-east-1' } });
const assembly = app.synth();

// Name each handler asset directory after the function that runs it, so a reader finds the bundled index.js.
const artifact = assembly.getStackByName(stack.stackName);
const assetDirs = artifact.dependencies
  .filter((dep): dep is cxapi.AssetManifestArtifact => dep instanceof cxapi.AssetManifestArtifact)
  .flatMap((manifest) => Object.entries<any>(JSON.parse(fs.readFileSync(manifest.file, 'utf-8')).files ?? {}))
  .filter(([, asset]) => asset.source.packaging === 'zip')
  .map(([hash, asset]) => ({ hash, dir: path.resolve(assembly.directory, asset.source.path) }));
const functions = Object.values<any>(artifact.template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
const handlers = assetDirs.map(({ hash, dir }) => {
  const fn = functions.find((f) => f.Properties.Code.S3Key === `${hash}.zip`);
  const name = fn?.Properties.Description?.split(' ')[1] ?? hash;
  return `${name}=${path.join(dir, 'index.js')}`;
});

console.log(`Template: ${artifact.templateFullPath} Handlers: ${handlers.join(' ')}`);
