import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One copy of graphql for everything: code transformed by Vitest and packages loaded by Node
    // must share the same module, or graphql refuses schemas "from another realm".
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql').replace(/index\.js$/, 'index.mjs') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
