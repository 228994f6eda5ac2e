// esbuild bundles a webview's CSS imports into dist/webviews/<name>.css beside its script.
declare module '*.css';
