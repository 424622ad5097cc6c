/**
 * Which resource of a REST API a request path selects, as API Gateway routes: literal path parts before
 * `{name}` parameters, and a greedy `{name+}` last; the parameters' values come URL-decoded.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html#setup-method-resources
 */
export interface ResourceMatch {
  /** The resource path, e.g. "/users/{id}". */
  readonly resourcePath: string;
  /** e.g. `{ id: "42" }`; empty when the resource has no parameter. */
  readonly pathParameters: Record<string, string>;
}

/** The most specific of `resourcePaths` that `path` (the part after the stage, e.g. "/users/42") selects. */
export function matchResource(resourcePaths: readonly string[], path: string): ResourceMatch | undefined {
  const parts = splitPath(path);
  if (parts === undefined) return undefined;
  let best: { match: ResourceMatch; rank: number[] } | undefined;
  for (const resourcePath of new Set(resourcePaths)) {
    const attempt = matchOne(splitPath(resourcePath) ?? [], parts);
    if (attempt && (!best || compareRanks(attempt.rank, best.rank) > 0)) {
      best = { match: { resourcePath, pathParameters: attempt.parameters }, rank: attempt.rank };
    }
  }
  return best?.match;
}

function matchOne(pattern: string[], parts: string[]): { parameters: Record<string, string>; rank: number[] } | undefined {
  const parameters: Record<string, string> = {};
  const rank: number[] = [];
  for (let index = 0; index < pattern.length; index++) {
    const part = pattern[index];
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      if (index !== pattern.length - 1 || parts.length <= index) return undefined;
      parameters[greedy[1]] = parts.slice(index).join('/');
      rank.push(0);
      return { parameters, rank };
    }
    if (index >= parts.length) return undefined;
    const parameter = /^\{(.+)\}$/.exec(part);
    if (parameter) {
      parameters[parameter[1]] = parts[index];
      rank.push(1);
    } else if (part === parts[index]) {
      rank.push(2);
    } else {
      return undefined;
    }
  }
  return pattern.length === parts.length ? { parameters, rank } : undefined;
}

/** Higher is more specific: compared part by part, from the first. */
function compareRanks(a: number[], b: number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? -1) - (b[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The decoded parts of a path; undefined when a part's percent-encoding is broken. */
function splitPath(path: string): string[] | undefined {
  try {
    return path.split('/').filter((part) => part !== '').map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
}
