/**
 * The HTML shell every Bifrost webview gets. No vscode import, so the Chromium tests
 * load the very same markup and CSP (test/webviews/).
 *
 * CSP, after the webview rules in vscode.d.ts and GitLens:
 *   default-src 'none'                 nothing loads unless listed below;
 *   script-src 'nonce-…'               only our bundle's <script> tag runs;
 *   style-src  ${cspSource} 'nonce-…'  our bundled CSS file, and <style> elements that
 *                                      carry the nonce. No 'unsafe-inline': the toolkit's
 *                                      controls style themselves with constructable
 *                                      stylesheets (adoptedStyleSheets), which CSP does not
 *                                      govern, and our code sets styles through the CSSOM
 *                                      (element.style.x), which CSP allows. The nonce is
 *                                      for FAST's feature test of :focus-visible, which
 *                                      appends an empty <style> with the nonce it finds in
 *                                      <meta property="csp-nonce">; without it every page
 *                                      load logs a violation. The Chromium tests fail on
 *                                      any securitypolicyviolation;
 *   font-src   ${cspSource}            the theme's fonts come from the workbench;
 *   img-src    ${cspSource} data:      canvas is not an image load; icons may be.
 */
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  title: string;
  scriptUri: string;
  styleUri: string;
}

export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

export function renderWebviewHtml(options: WebviewHtmlOptions): string {
  const { cspSource, nonce, title, scriptUri, styleUri } = options;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(cspSource, nonce))}">
<meta property="csp-nonce" content="${escapeHtml(nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(styleUri)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<script nonce="${escapeHtml(nonce)}" src="${escapeHtml(scriptUri)}"></script>
</body>
</html>`;
}
