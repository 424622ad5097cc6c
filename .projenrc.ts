import { awscdk, javascript, JsonFile } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-passwordless',
  description:
    'AWS CDK constructs for passwordless sign-in on Amazon Cognito: email and SMS one-time codes and magic links, safe by default.',
  author: 'cdk-passwordless contributors',
  authorAddress: 'security@cdk-passwordless.dev',
  repositoryUrl: 'https://github.com/cdk-passwordless/cdk-passwordless.git',
  keywords: ['cdk', 'cognito', 'passwordless', 'otp', 'magic-link', 'authentication'],
  license: 'Apache-2.0',

  // aws-cdk-lib >= 2.179.0 is the peer range; tests run against that minimum.
  cdkVersion: '2.179.0',
  jsiiVersion: '~6.0.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  sampleCode: false,
  github: false,
  release: false,

  publishToPypi: { distName: 'cdk-passwordless', module: 'cdk_passwordless' },
  publishToMaven: {
    javaPackage: 'io.github.cdkpasswordless',
    mavenGroupId: 'io.github.cdk-passwordless',
    mavenArtifactId: 'cdk-passwordless',
  },
  publishToNuget: { dotNetNamespace: 'CdkPasswordless', packageId: 'CdkPasswordless' },
  publishToGo: { moduleName: 'github.com/cdk-passwordless/cdk-passwordless-go', packageName: 'cdkpasswordless' },

  devDeps: [
    '@types/aws-lambda',
    '@aws-sdk/client-dynamodb',
    '@aws-sdk/client-sesv2',
    '@aws-sdk/client-sns',
    'aws-sdk-client-mock',
    'cdk-nag@^2',
    'dynalite',
    // The sandbox (sandbox/) and its end-to-end tests: local backends, real clients, token checks.
    'aws-ses-v2-local',
    '@aws-sdk/client-cognito-identity-provider',
    '@aws-sdk/client-kms',
    'aws-amplify',
    'playwright-core',
    'aws-jwt-verify',
    '@aws-lambda-powertools/parser',
    'zod',
  ],

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/', '/bench/'],
    },
  },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'lambda', 'examples', 'sandbox', 'bench', 'projenrc', '.projenrc.ts'] },
  tsconfigDev: {
    include: ['../lambda/**/*.ts', '../examples/**/*.ts', '../sandbox/**/*.ts', '../bench/**/*.ts'],
    // Jest runs CommonJS: dynamic import() of the SDK in handlers must become require().
    compilerOptions: { module: 'commonjs', moduleResolution: javascript.TypeScriptModuleResolution.BUNDLER },
  },
});

// Handlers: bundled with esbuild at build time into assets/, shipped in the npm package, so consumers
// in any jsii language need neither esbuild nor Docker at synth. The AWS SDK v3 is the Lambda runtime's.
// magic-link-api serves MagicLinkApi's POST /magic-link, sign-in-api its POST /sign-in (auto sign-up) and attribute-api
// its POST /attributes and /attributes/verify; the other three are the Cognito challenge triggers.
const handlers = [
  'define-auth-challenge', 'create-auth-challenge', 'verify-auth-challenge',
  'magic-link-api', 'sign-in-api', 'attribute-api',
];
for (const handler of handlers) {
  new awscdk.LambdaFunction(project, {
    entrypoint: `lambda/${handler}.lambda.ts`,
    constructFile: `src/${handler}-function.ts`,
    cdkDeps: project.cdkDeps,
    bundlingOptions: { externals: ['@aws-sdk/*'], sourcemap: false },
  });
  // LambdaFunction exposes no minify option: append esbuild's flag to its bundle task.
  const task = project.tasks.tryFind(`bundle:lambda/${handler}.lambda`)!;
  const args = (task.steps[0] as { execArgs: string[] }).execArgs;
  task.reset();
  task.execArgs([...args, '--minify']);
}
project.addPackageIgnore('/lambda/');
project.addPackageIgnore('/examples/');
project.addPackageIgnore('/sandbox/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/docs/');
project.addPackageIgnore('/cdk.out/');
project.gitignore.addPatterns('cdk.out/', 'examples/cdk.out/');

// The handlers are not part of the jsii compilation: type-check them on their own before bundling.
new JsonFile(project, 'lambda/tsconfig.json', {
  obj: {
    compilerOptions: {
      target: 'ES2022',
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['es2022'],
      types: ['node'],
      strict: true,
      noEmit: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitReturns: true,
      esModuleInterop: true,
      skipLibCheck: true,
    },
    include: ['./**/*.ts'],
  },
});
// The example app, the sandbox and the benchmark are type-checked and linted like the tests; eslint's project
// service needs a tsconfig in each directory.
for (const dir of ['examples', 'sandbox', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../tsconfig.json', compilerOptions: { rootDir: '..', noEmit: true }, include: ['./**/*.ts'] },
  });
}
const typecheckLambda = project.addTask('typecheck:lambda', {
  description: 'Type-check the Lambda handler sources',
  exec: 'tsc -p lambda/tsconfig.json',
});
project.preCompileTask.prependSpawn(typecheckLambda);

// Tests need the bundled assets (constructs point Code.fromAsset at them).
const bundleTask = project.tasks.tryFind('bundle')!;
project.testTask.prependSpawn(bundleTask);

// The main job for now: synthesize the example app and say where the template is.
project.addTask('example', {
  description: 'Synthesize the example app in examples/ (pre-bundled handler assets) and print the template path',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --project test/tsconfig.json examples/app.ts' }],
});

// The main job: the example app (or --app) running locally, real handler bundles against a local Cognito endpoint.
project.addTask('sandbox', {
  description: 'Run the app locally: its handler bundles, a Cognito-compatible endpoint and local AWS backends (see docs/sandbox.md)',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --transpile-only --project test/tsconfig.json sandbox/main.ts', receiveArgs: true }],
});

// The benchmark (bench/, docs/performance.md): bundle sizes, cold init, warm invocations, calls per flow and
// sign-in latency in the sandbox. Prints a table and writes bench/results.json. Not a test: times vary per run.
project.addTask('bench', {
  description: 'Benchmark the handler bundles and the sign-in flows in the sandbox; writes bench/results.json (see docs/performance.md)',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --transpile-only --project test/tsconfig.json bench/bench.ts', receiveArgs: true }],
});

project.synth();
