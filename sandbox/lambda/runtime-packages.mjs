// Module resolve hook of the function worker (registered with module.register).
// The Lambda Node.js runtime provides the AWS SDK v3, so bundles leave `@aws-sdk/*` external and load it with
// import(). ESM resolution ignores NODE_PATH, so when a package is not found from the bundle's own directory
// (which may be anywhere), this resolves it again from the sandbox's node_modules. Only runtime-provided
// packages get this second chance: anything else a bundle forgot to include fails here as it would in AWS.

let fallbackParentURL;
let runtimePackagePrefix;

export function initialize(data) {
  fallbackParentURL = data.fallbackParentURL;
  runtimePackagePrefix = data.runtimePackagePrefix;
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith(runtimePackagePrefix)) throw error;
    return nextResolve(specifier, { ...context, parentURL: fallbackParentURL });
  }
}
