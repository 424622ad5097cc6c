const LOOPBACK_HOSTS = ['127.0.0.1', '[::1]', 'localhost'];

/**
 * The link target for a requested redirect URI, if the allow-list has it (R16): written canonically,
 * with the same scheme, host, port and path, no query, no fragment, no credentials. For loopback
 * entries any port matches, as OAuth allows for native apps (RFC 8252, section 7.3). Undefined when
 * not allowed.
 */
export function allowedRedirect(requested: string, allowList: readonly string[]): string | undefined {
  const url = parse(requested);
  // Only the canonical spelling is compared: no case, default-port, dot-segment or IDN-mapping variants.
  if (!url || (requested !== url.href && `${requested}/` !== url.href)) return undefined;
  const loopback = LOOPBACK_HOSTS.includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return undefined;
  const match = allowList.some((entry) => {
    const allowed = parse(entry);
    return allowed !== undefined
      && allowed.protocol === url.protocol
      && allowed.hostname === url.hostname
      && allowed.pathname === url.pathname
      && (loopback || allowed.port === url.port);
  });
  return match ? url.href : undefined;
}

function parse(value: string): URL | undefined {
  if (value.length > 2048 || /[\s\\]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.search || url.hash || value.includes('#') || value.includes('?') || url.username || url.password) return undefined;
  return url;
}
