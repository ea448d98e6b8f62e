// Lint: typescript-eslint's recommended rules, and import rules that hold the layers in place (ARCHITECTURE.md):
// shared/ is pure and imports neither electron/ nor renderer/; renderer/ never imports electron/ nor Node's
// modules; no module imports itself back through a cycle.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-output/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      // The TypeScript preset's extensions and parsers, so the import rules read .ts modules (its resolver is
      // replaced by the node resolver below, which finds extensionless relative imports as esbuild does).
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.mjs', '.js', '.json', '.d.ts'] })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './shared', from: './electron', message: 'shared/ is the contract and pure logic: it never depends on the engine.' },
            { target: './shared', from: './renderer', message: 'shared/ is the contract and pure logic: it never depends on a face.' },
            { target: './renderer', from: './electron', message: 'the renderer reaches the engine only through the Lab API (shared/api.ts).' },
          ],
        },
      ],
      // A leading underscore marks what a destructuring leaves out on purpose ({ secret: _s, ...rest }).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  { files: ['renderer/**/*.{ts,tsx}'], ...reactHooks.configs.flat['recommended-latest'] },
  {
    files: ['renderer/**'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'the renderer runs in a browser: no Node modules.' },
            { regex: '^electron$', message: 'the renderer reaches the engine only through the Lab API (shared/api.ts).' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(node:|electron$)', message: 'shared/ runs in every face, the renderer included: no Node or Electron modules.' }] }],
    },
  },
  {
    files: ['electron/**', 'test/**', 'build/**', 'bench/**', 'bin/**', '.ci/**', '*.config.*'],
    languageOptions: { globals: globals.node },
  },
);
