/** The URL of a gateway elsewhere, as the user types it. No vscode import: unit-tested in Node. */

/** `wss://host:port/` from what the user typed, or why it is not a gateway URL. */
export function parseGatewayUrl(text: string): { url: string } | { error: string } {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { error: `"${trimmed}" is not a URL: type it as the gateway printed it, like wss://gw-site-a.example.com:7443` };
  }
  if (url.protocol !== 'wss:') {
    return { error: `a gateway elsewhere is attached over TLS: the URL starts with wss://, not ${url.protocol}// (start it with --tls-cert and --tls-key)` };
  }
  if (url.search || url.username || url.password) return { error: 'type the URL without a token or credentials in it: the token is asked next, and kept in the keychain' };
  if (url.pathname !== '/') return { error: `the channel is at the root of the gateway's address, not at ${url.pathname}` };
  return { url: `wss://${url.host}/` };
}
