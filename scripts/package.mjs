// Packages bifrost-<version>.vsix with @vscode/vsce, then checks what went in:
// no sources, tests or dev dependencies; serialport's prebuilt binaries present;
// under the size budget. Prints the size.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = path.join(root, `${name}-${version}.vsix`);
const SIZE_BUDGET = 5 * 1024 * 1024;

// The README's screenshots live in docs/ and are not shipped (they would double the
// .vsix); vsce also refuses relative images without a repository to point them at.
// The packaged README names them instead of showing them.
const readme = readFileSync(path.join(root, 'README.md'), 'utf8').replace(
  /!\[([^\]]*)\]\((docs\/[^)]+)\)/g,
  (_match, alt, file) => `${alt} (\`${file}\` in the source)`,
);
const packagedReadme = path.join(root, 'out/build/README.md');
mkdirSync(path.dirname(packagedReadme), { recursive: true });
writeFileSync(packagedReadme, readme);

const vsce = path.join(root, 'node_modules/.bin/vsce');
execFileSync(vsce, ['package', '--no-update-package-json', '--no-git-tag-version', '--readme-path', path.relative(root, packagedReadme), '--out', vsix], {
  cwd: root,
  stdio: 'inherit',
});

const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter(Boolean);
const problems = [];
const mustHave = [
  'extension/dist/extension.js',
  'extension/dist/gateway.js',
  'extension/dist/bifrost.schema.json',
  'extension/node_modules/serialport/package.json',
  'extension/node_modules/@serialport/bindings-cpp/prebuilds/linux-x64/@serialport+bindings-cpp.glibc.node',
];
for (const file of mustHave) if (!listing.includes(file)) problems.push(`missing ${file}`);
const forbidden = [/\.ts$/, /\.map$/, /^extension\/(test|gateway|extension|webviews|scripts)\//, /node_modules\/(zod|ws|typescript|esbuild|mocha)\//];
for (const file of listing) {
  if (file.endsWith('.d.ts')) continue;
  if (forbidden.some((pattern) => pattern.test(file))) problems.push(`should not ship ${file}`);
}
// From the unpacked .vsix, as the gateway will run it: load serialport's native binding
// (proves the prebuilt binary and every runtime file it needs made it in), then list the
// ports with the shipped gateway on a PATH without udevadm (containers, WSL and CI
// runners have none; the listing must not depend on it).
const unpacked = mkdtempSync(path.join(os.tmpdir(), 'bifrost-vsix-'));
try {
  execFileSync('unzip', ['-q', vsix, '-d', unpacked]);
  const bindings = path.join(unpacked, 'extension/node_modules/@serialport/bindings-cpp');
  const probe = `const binding = require(${JSON.stringify(path.join(bindings, 'dist/serialport-bindings.js'))}).binding;` +
    `if (typeof binding.open !== 'function') throw new Error('the native binding has no open()');` +
    `console.log("serialport native binding loads from the .vsix")`;
  execFileSync(process.execPath, ['-e', probe], { stdio: 'inherit' });
  const pathWithoutUdevadm = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir && !existsSync(path.join(dir, 'udevadm'))).join(path.delimiter);
  const listed = execFileSync(process.execPath, [path.join(unpacked, 'extension/dist/gateway.js'), 'ports', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: pathWithoutUdevadm },
  });
  const { ports } = JSON.parse(listed);
  if (!Array.isArray(ports)) throw new Error(`"ports --json" printed ${listed.trim()}`);
  console.log(`the packaged gateway lists serial ports without udev (${ports.length} listed)`);
} catch (error) {
  problems.push(`serialport does not work from the .vsix: ${error.message}`);
} finally {
  rmSync(unpacked, { recursive: true, force: true });
}

const size = statSync(vsix).size;
if (size > SIZE_BUDGET) problems.push(`size ${size} bytes is over the ${SIZE_BUDGET}-byte budget`);

console.log(`${path.basename(vsix)}: ${(size / 1024 / 1024).toFixed(2)} MB, ${listing.length} files`);
if (problems.length > 0) {
  console.error(problems.map((p) => `  ✗ ${p}`).join('\n'));
  process.exit(1);
}
