/** The URL of a gateway elsewhere, as the user types it. No vscode import: unit-tested in Node. */

/** `wss://host:port/` (or `ws://127.0.0.1:port/`, through a tunnel) from what the user typed, or why it is not a gateway URL. */
export function parseGatewayUrl(text: string): { url: string } | { error: string } {
  const trimmed = text.trim();
  // "gw:7443" parses as a URL whose scheme is "gw:": say the scheme is missing, and how the whole URL reads.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) && URL.canParse(`wss://${trimmed}`)) {
    return { error: `"${trimmed}" has no scheme: a gateway's URL starts with wss://, like wss://${trimmed}` };
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { error: `"${trimmed}" is not a URL: type it as the gateway printed it, like wss://gw-site-a.example.com:7443` };
  }
  // ws:// only to this machine: the far end of an SSH tunnel (ssh -L 7443:127.0.0.1:7443 edge-box), which encrypts it.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'wss:' && !(url.protocol === 'ws:' && loopback)) {
    return {
      error: `a gateway elsewhere is attached over TLS: the URL starts with wss://, not ${url.protocol}// (start it with --tls-cert and --tls-key; ws:// is for 127.0.0.1 only, the end of an SSH tunnel)`,
    };
  }
  if (url.search || url.username || url.password) return { error: 'type the URL without a token or credentials in it: the token is asked next, and kept in the keychain' };
  if (url.pathname !== '/') return { error: `the channel is at the root of the gateway's address, not at ${url.pathname}` };
  return { url: `${url.protocol}//${url.host}/` };
}
