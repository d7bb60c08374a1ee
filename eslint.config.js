import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'coverage/',
      'node_modules/',
      'client/generated.ts',
      'bench/.build/',
      'bench/profiles/',
      'playground/dist/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in src/config/index.ts only.' },
      ],
    },
  },
  {
    files: ['src/config/index.ts', 'test/**', 'scripts/**', 'bench/**', '*.config.*'],
    rules: { 'no-restricted-properties': 'off' },
  },
  // The layering in docs: data flows down once and back up once; no layer reaches around another.
  {
    files: [
      'src/smn/**',
      'src/send/**',
      'src/policy/**',
      'src/state/**',
      'src/auth/**',
      'src/suppression/**',
      'src/deliveries/**',
      'src/campaigns/**',
      'src/catalog/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/graphql/**', '**/http/**', '**/app.js', '**/simulator/**', '**/config/index.js'] },
      ],
    },
  },
  {
    files: ['src/util/**', 'src/observability/**', 'src/error-codes.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '**/graphql/**',
            '**/http/**',
            '**/app.js',
            '**/simulator/**',
            '**/send/**',
            '**/smn/**',
            '**/state/**',
            '**/auth/**',
            '**/policy/**',
          ],
        },
      ],
    },
  },
  {
    files: ['src/simulator/**'],
    ignores: ['src/simulator/main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '**/graphql/**',
            '**/http/**',
            '**/app.js',
            '**/send/**',
            '**/smn/client.js',
            '**/config/index.js',
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
