import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import { importsOf, layers, typeOnlyImports } from './eslint.layers.js';

/** A layer as eslint-plugin-boundaries selects it: a folder is an element, single files a category. */
const selectorOf = (name) =>
  layers.find((layer) => layer.name === name).folder ? { element: { type: name } } : { file: { categories: name } };

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'coverage/',
      'node_modules/',
      'client/generated.ts',
      'client/dist/',
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
  // The process entry's own settings (NODE_OPTIONS, its re-exec marker), read before anything of the
  // service loads: in src/config like the rest, in an import-free file of their own.
  {
    files: ['src/config/entry.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  // The layering in docs/architecture.md (eslint.layers.js): each folder of src/ imports only what its row
  // allows; anything else, and any file of src/ in no layer, is an error.
  {
    files: ['src/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'boundaries/include': ['src/**/*.ts'],
      'boundaries/elements': layers
        .filter((layer) => layer.folder)
        .map(({ name, folder }) => ({ type: name, pattern: folder, partialMatch: false })),
      'boundaries/files': layers
        .filter((layer) => layer.files)
        .map(({ name, files }) => ({ category: name, pattern: files })),
    },
    rules: {
      'boundaries/no-unknown-files': 'error',
      'boundaries/no-unknown-dependencies': 'error',
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: layers.flatMap((from) =>
            importsOf(from.name).map((to) => ({
              from: selectorOf(from.name),
              allow: {
                to: selectorOf(to),
                ...(typeOnlyImports[from.name]?.includes(to) && { dependency: { kind: 'type' } }),
              },
            })),
          ),
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
