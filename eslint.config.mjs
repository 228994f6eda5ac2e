// ESLint for Bifrost: the rules of VS Code's extension samples (import naming, curly,
// eqeqeq, no-throw-literal, semi) plus type-aware promise checks, for every
// TypeScript file. Run with `npm run lint` (with dependency-cruiser's import rules).
//
// The tools live in tools/lint with a TypeScript of their own (5.9): typescript-eslint
// reads types through TypeScript's JavaScript API, which the TypeScript 7 this project
// compiles with does not ship. Hence the require from there rather than an import.
import { createRequire } from 'node:module';

const requireLintTool = createRequire(new URL('./tools/lint/package.json', import.meta.url));
const tseslint = requireLintTool('typescript-eslint');

export default [
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', 'tools/lint/node_modules/**', '.vscode-test/**', 'test-results/**', '.cache/**'],
  },
  {
    files: ['**/*.ts', '**/*.mjs'],
    plugins: { '@typescript-eslint': tseslint.plugin },
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/naming-convention': ['error', { selector: 'import', format: ['camelCase', 'PascalCase'] }],
      // Braces around every multi-line body; a one-line `if (done) return;` stays as the code base writes it.
      curly: ['error', 'multi-line'],
      eqeqeq: 'error',
      'no-throw-literal': 'error',
      semi: 'error',
      // Mistakes that no test may happen to reach (a second `case` for the same state did ship once).
      'no-duplicate-case': 'error',
      'no-dupe-else-if': 'error',
      'no-dupe-keys': 'error',
      'no-self-assign': 'error',
      'no-self-compare': 'error',
      'no-unreachable': 'error',
      'no-unsafe-finally': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits loses its rejection: await it, or `void` it where fire-and-forget is meant.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
];
