// Lint: typescript-eslint's recommended rules plus the type-aware rules that catch real bugs here
// (promises left floating, misused promises, import cycles are checked by .ci/test.mjs via tsc + build order).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/__golden__/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // CommonJS entry points (the committed `ketnap` executable): plain Node scripts that require.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../*/src/*', '**/packages/*/src/*'], message: 'Import sibling packages by name.' },
            { group: ['@ketnap/*/src/*', '@ketnap/*/dist/*'], message: 'Import packages from their root.' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/kernel/src/**/*.ts', 'packages/core/src/**/*.ts', 'packages/ledger/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@ketnap/store-*', '@ketnap/cli', 'better-sqlite3', 'pg'],
              message: 'Dependencies point inward: nothing but the CLI imports an adapter.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
)
