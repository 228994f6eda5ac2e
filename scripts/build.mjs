// Bundles the extension, the gateway, the extension-host tests and (as they arrive)
// the webviews with esbuild, and writes the JSON schema for bifrost.json.
//
//   node scripts/build.mjs               development build (sourcemaps)
//   node scripts/build.mjs --production  minified, what `npm run package` ships
//   node scripts/build.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  // Minified, but class and function names kept: error.name and stack traces stay
  // readable in the log. Code still recognises errors by instanceof or their `code`.
  keepNames: true,
  logLevel: 'info',
  absWorkingDir: root,
  // Prefer ES module builds: some packages (jsonc-parser) ship a UMD `main` whose
  // dynamic requires esbuild cannot follow.
  mainFields: ['module', 'main'],
};

/** serialport loads its native binding relative to its own folder: never bundle it. */
const nativeExternals = ['serialport', '@serialport/*'];
/** ws's optional native speed-ups: required inside try/catch, absent is fine. */
const optionalExternals = ['bufferutil', 'utf-8-validate'];

const builds = [
  {
    ...common,
    entryPoints: ['extension/main.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode', ...nativeExternals, ...optionalExternals],
  },
  {
    ...common,
    entryPoints: ['gateway/cli/main.ts'],
    outfile: 'dist/gateway.js',
    external: [...nativeExternals, ...optionalExternals],
    banner: { js: '#!/usr/bin/env node' },
  },
];

const exthostDir = path.join(root, 'test/exthost');
if (!production && existsSync(exthostDir)) {
  const entries = readdirSync(exthostDir).filter((f) => f.endsWith('.ts')).map((f) => `test/exthost/${f}`);
  if (entries.length > 0) {
    builds.push({
      ...common,
      entryPoints: entries,
      outdir: 'out/test/exthost',
      // mocha stays a real module so its reporters and globals behave as under test-electron.
      external: ['vscode', 'mocha', ...nativeExternals, ...optionalExternals],
    });
  }
}

const webviewsDir = path.join(root, 'webviews');
if (existsSync(webviewsDir)) {
  for (const name of readdirSync(webviewsDir)) {
    const entry = path.join('webviews', name, 'main.ts');
    if (!existsSync(path.join(root, entry))) continue;
    builds.push({
      ...common,
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
      entryPoints: [entry],
      outfile: `dist/webviews/${name}.js`,
    });
  }
}

async function writeJsonSchema() {
  // Compile the contract's schema module to a temporary CJS file and run it, so the
  // generated JSON schema comes from the same zod code the gateway runs.
  const outfile = path.join(root, 'out/build/jsonSchema.cjs');
  await esbuild.build({ ...common, logLevel: 'warning', sourcemap: false, minify: false,
    entryPoints: ['gateway/api/jsonSchema.ts'], outfile });
  const require = createRequire(import.meta.url);
  delete require.cache[outfile];
  const { bifrostJsonSchema } = require(outfile);
  mkdirSync(path.join(root, 'dist'), { recursive: true });
  writeFileSync(path.join(root, 'dist/bifrost.schema.json'), JSON.stringify(bifrostJsonSchema(), null, 2) + '\n');
  console.log('  dist/bifrost.schema.json');
}

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  await writeJsonSchema();
  console.log('watching for changes…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  await writeJsonSchema();
}
