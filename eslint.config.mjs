// One linter: typescript-eslint's recommended rules, with `any` and unused code refused.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/.cache/', 'test-results/', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The optional backends are loaded with require() on purpose: they may not be installed.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Node scripts; the functions the screenshot script hands to the page run in the browser.
    files: ['scripts/**/*.mjs', 'bin/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
