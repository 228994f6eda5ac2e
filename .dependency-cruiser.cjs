/**
 * The import rules of Bifrost's rooms, checked by `npm run lint` (dependency-cruiser).
 * A violation prints the rule's name and the import that broke it.
 *
 * - gateway/api is the contract: zod and itself only, so every side (the gateway,
 *   the extension host, the webviews in a browser) can import it.
 * - The extension and the webviews reach the gateway only through the contract.
 *   extension/gateway/ is the extension's own connection room, not the gateway.
 * - gateway/protocol (pure codecs) is the bottom of the gateway; gateway/tags (values)
 *   sits on it and the contract only.
 * - In the extension, ui/, util/ and gateway/ (the connection) sit under the feature
 *   rooms, and the panel rooms are reached only through their activate(ctx).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other, directly or through others: split out what both need.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'contract-imports-only-zod',
      severity: 'error',
      comment: 'gateway/api is imported by the gateway, the extension and the webviews (in a browser): it may import only zod and gateway/api.',
      from: { path: '^gateway/api/' },
      to: { pathNot: ['^gateway/api/', '(^|/)node_modules/zod/'] },
    },
    {
      name: 'extension-uses-gateway-only-through-contract',
      severity: 'error',
      comment: 'The extension talks to the gateway over the channel; it imports only the contract (gateway/api), never gateway internals.',
      from: { path: '^extension/' },
      to: { path: '^gateway/', pathNot: '^gateway/api/' },
    },
    {
      name: 'webviews-use-gateway-only-through-contract',
      severity: 'error',
      comment: 'Webviews run in a browser and get data from the extension host; they import only the contract (gateway/api) of the gateway.',
      from: { path: '^webviews/' },
      to: { path: '^gateway/', pathNot: '^gateway/api/' },
    },
    {
      name: 'webviews-never-import-extension',
      severity: 'error',
      comment: 'Webviews are browser bundles; the extension host is another process. Share code through gateway/api or webviews/shared.',
      from: { path: '^webviews/' },
      to: { path: '^extension/' },
    },
    {
      name: 'gateway-never-imports-the-editor',
      severity: 'error',
      comment: 'The gateway runs headless (bifrost-gateway) without VS Code: it imports nothing from extension/ or webviews/.',
      from: { path: '^gateway/' },
      to: { path: '^(extension|webviews)/' },
    },
    {
      name: 'protocol-is-the-bottom',
      severity: 'error',
      comment: 'gateway/protocol holds the pure Modbus codecs: it imports no other gateway room (only the contract underneath everything).',
      from: { path: '^gateway/protocol/' },
      to: { path: '^gateway/', pathNot: '^gateway/(protocol|api)/' },
    },
    {
      name: 'tags-are-values-only',
      severity: 'error',
      comment: 'gateway/tags turns registers into values and back: it imports only the codecs (gateway/protocol) and the contract, no I/O room.',
      from: { path: '^gateway/tags/' },
      to: { path: '^gateway/', pathNot: '^gateway/(tags|protocol|api)/' },
    },
    {
      name: 'feature-rooms-are-leaves',
      severity: 'error',
      comment:
        'A panel or feature room (proxies, tagWatch, frameDebugger, registers) is wired by extension/main.ts through its activate(ctx); no other room reaches into it. Share what two rooms need through config/, devices/, ui/ or util/.',
      from: { path: '^extension/([^/]+)/' },
      to: { path: '^extension/(proxies|tagWatch|frameDebugger|registers)/', pathNot: '^extension/$1/' },
    },
    {
      name: 'shared-rooms-know-no-feature',
      severity: 'error',
      comment: 'extension/ui, util and gateway (the connection) sit under every feature room: they import none of them.',
      from: { path: '^extension/(ui|util|gateway)/' },
      to: { path: '^extension/(config|devices|discovery|proxies|tagWatch|frameDebugger|registers|tags)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|out|tools|\\.vscode-test|test-results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
