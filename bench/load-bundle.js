'use strict';
// Child process of the cold-init benchmark (bench/cold-init.ts): loads one handler bundle the way the Lambda
// Node.js runtime does at init (require of the handler file), then prints one JSON line and exits.
//   node load-bundle.js <index.js>                -> {"initMs","loadMs"}
//   node load-bundle.js <index.js> --detect-sdk   -> {"initMs","loadMs","sdkModules"}
// initMs is performance.now() right after the require: time since this process began, so Node's own start is
// included (as in Lambda's Init Duration); loadMs is the require alone. Plain CommonJS: runs without ts-node.

const path = require('node:path');
const { pathToFileURL } = require('node:url');

const [file, flag] = process.argv.slice(2);
const detectSdk = flag === '--detect-sdk';
const SDK_PREFIX = '@aws-sdk/';
const sdkModules = new Set();

if (detectSdk) watchSdkResolution();

const before = performance.now();
const exported = require(path.resolve(file));
const after = performance.now();
if (typeof exported.handler !== 'function') {
  process.stderr.write(`${file} exports no handler function\n`);
  process.exit(1);
}

if (detectSdk) {
  // A bundle could start an import() at init without awaiting it: give such loads time to resolve.
  setTimeout(() => report({ sdkModules: [...sdkModules].sort() }), 200);
} else {
  report({});
}

function report(extra) {
  process.stdout.write(`${JSON.stringify({ initMs: after, loadMs: after - before, ...extra })}\n`);
  process.exit(0);
}

/** Records every `@aws-sdk/*` package resolved, by require() (CommonJS) or import() (an ESM resolve hook). */
function watchSdkResolution() {
  const Module = require('node:module');
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (typeof request === 'string' && request.startsWith(SDK_PREFIX)) sdkModules.add(packageOf(request));
    return resolveFilename.call(this, request, ...rest);
  };
  const { MessageChannel } = require('node:worker_threads');
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (specifier) => sdkModules.add(packageOf(specifier)));
  port1.unref();
  Module.register(pathToFileURL(path.join(__dirname, 'sdk-resolve-hook.mjs')), {
    data: { port: port2, prefix: SDK_PREFIX },
    transferList: [port2],
  });
}

/** `@aws-sdk/client-dynamodb/dist-cjs/x` -> `@aws-sdk/client-dynamodb`. */
function packageOf(specifier) {
  return specifier.split('/').slice(0, 2).join('/');
}
