'use strict';
// One Lambda execution environment in a worker thread: loads the function's bundle from its asset directory,
// unchanged, then runs the invocations the parent (function-runner.ts) posts, one at a time. Plain CommonJS so
// that it runs as is under ts-node and jest alike.
//
// Messages to the parent: { type: 'log', line }, { type: 'ready' }, { type: 'init-error', errorType, errorMessage },
// { type: 'result', id, payload } (the result as JSON) and { type: 'error', id, errorType, errorMessage }.

const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { parentPort, workerData } = require('node:worker_threads');

/** What the Lambda Node.js runtime provides besides the bundle: the AWS SDK for JavaScript v3. */
const RUNTIME_PACKAGE_PREFIX = '@aws-sdk/';

const flushOutput = captureOutput();
provideRuntimePackages();
loadHandler().then(serve, (error) => {
  flushOutput();
  parentPort.postMessage({ type: 'init-error', ...initErrorOf(error) });
});

/** Sends every line written to stdout or stderr (console.* included) to the parent, in order with the results. */
function captureOutput() {
  const flushes = [process.stdout, process.stderr].map((stream) => {
    let partial = '';
    stream.write = (chunk, encoding, callback) => {
      partial += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf-8');
      const lines = partial.split('\n');
      partial = lines.pop();
      for (const line of lines) parentPort.postMessage({ type: 'log', line });
      const done = typeof encoding === 'function' ? encoding : callback;
      if (done) done();
      return true;
    };
    return () => {
      if (partial) parentPort.postMessage({ type: 'log', line: partial });
      partial = '';
    };
  });
  return () => flushes.forEach((flush) => flush());
}

/**
 * Lets the bundle load `@aws-sdk/*` from the sandbox's node_modules when its own directory has none, as the
 * runtime's copy serves it in AWS: a resolve hook for import() (ESM resolution ignores NODE_PATH), and a
 * fallback in CommonJS resolution for require().
 */
function provideRuntimePackages() {
  Module.register(pathToFileURL(path.join(__dirname, 'runtime-packages.mjs')), {
    data: { fallbackParentURL: pathToFileURL(__filename).href, runtimePackagePrefix: RUNTIME_PACKAGE_PREFIX },
  });
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    try {
      return resolveFilename.call(this, request, parent, ...rest);
    } catch (error) {
      if (error.code !== 'MODULE_NOT_FOUND' || !request.startsWith(RUNTIME_PACKAGE_PREFIX)) throw error;
      return resolveFilename.call(this, request, module, ...rest);
    }
  };
}

/** `file.export` from the code directory; like Lambda, tries file.js, file.mjs and file.cjs. */
async function loadHandler() {
  const { codeDir, handler } = workerData;
  const dot = handler.lastIndexOf('.');
  const [file, exportName] = [handler.slice(0, dot), handler.slice(dot + 1)];
  const found = ['.js', '.mjs', '.cjs'].map((extension) => path.resolve(codeDir, file + extension)).find((candidate) => fs.existsSync(candidate));
  if (dot < 1 || !found) throw runtimeError('Runtime.ImportModuleError', `Error: Cannot find module '${file}' in ${codeDir}`);
  const exports = await loadModule(found);
  if (typeof exports[exportName] !== 'function') throw runtimeError('Runtime.HandlerNotFound', `${handler} is undefined or not exported`);
  return exports[exportName];
}

async function loadModule(file) {
  if (file.endsWith('.mjs')) return import(pathToFileURL(file).href);
  try {
    return require(file);
  } catch (error) {
    if (error.code !== 'ERR_REQUIRE_ESM') throw error;
    return import(pathToFileURL(file).href);
  }
}

function serve(handler) {
  parentPort.on('message', (message) => {
    invoke(handler, message).catch((error) => {
      // Only reached when the reply itself cannot be posted; let the parent see the worker fail.
      setImmediate(() => { throw error; });
    });
  });
  parentPort.postMessage({ type: 'ready' });
}

async function invoke(handler, { id, event, requestId, deadline }) {
  let reply;
  try {
    const result = await callHandler(handler, JSON.parse(event), contextOf(requestId, deadline));
    reply = { type: 'result', id, payload: JSON.stringify(result === undefined ? null : result) };
  } catch (error) {
    reply = { type: 'error', id, ...errorOf(error) };
  }
  flushOutput();
  parentPort.postMessage(reply);
}

/** Supports async handlers and callback-style ones (a third parameter). */
function callHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (error, result) => (error ? reject(error) : resolve(result));
    const returned = handler(event, context, callback);
    if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    else if (handler.length < 3) resolve(returned);
  });
}

/** @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html */
function contextOf(requestId, deadline) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: workerData.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: workerData.functionArn,
    memoryLimitInMB: String(workerData.memoryMb),
    awsRequestId: requestId,
    logGroupName: workerData.logGroupName,
    logStreamName: workerData.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** What Lambda reports for an error thrown by a handler. */
function errorOf(error) {
  if (error instanceof Error) return { errorType: error.name || 'Error', errorMessage: error.message };
  return { errorType: typeof error, errorMessage: String(error) };
}

/** What Lambda reports when the bundle does not load. */
function initErrorOf(error) {
  if (error && error.lambdaErrorType) return { errorType: error.lambdaErrorType, errorMessage: error.message };
  if (error instanceof SyntaxError) return { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: `${error.name}: ${error.message}` };
  if (error && (error.code === 'MODULE_NOT_FOUND' || error.code === 'ERR_MODULE_NOT_FOUND')) {
    return { errorType: 'Runtime.ImportModuleError', errorMessage: `Error: ${error.message}` };
  }
  return errorOf(error);
}

function runtimeError(errorType, message) {
  return Object.assign(new Error(message), { lambdaErrorType: errorType });
}
