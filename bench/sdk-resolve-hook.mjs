// ESM resolve hook of bench/load-bundle.js: reports every `@aws-sdk/*` specifier that import() resolves.
let port;
let prefix;

export function initialize(data) {
  port = data.port;
  prefix = data.prefix;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier.startsWith(prefix)) port.postMessage(specifier);
  return nextResolve(specifier, context);
}
