// The folders of src/ and what each may import: the one source for the rule in eslint.config.js
// (eslint-plugin-boundaries, disallow by default) and for the table in docs/architecture.md, which
// test/docs-architecture.test.ts holds to it.

/**
 * Every layer of src/, by the name the table uses: a folder (an eslint-plugin-boundaries element) or
 * single files (a file category; `simulator/main.ts` is also part of the `simulator/` folder).
 */
export const layers = [
  { name: 'app.ts', files: ['src/app.ts', 'src/main.ts', 'src/heap-size.ts', 'src/run-service.ts', 'src/cli.ts'] },
  { name: 'wiring/', folder: 'src/wiring' },
  { name: 'config/', folder: 'src/config' },
  { name: 'http/', folder: 'src/http' },
  { name: 'graphql/', folder: 'src/graphql' },
  { name: 'auth/', folder: 'src/auth' },
  { name: 'send/', folder: 'src/send' },
  { name: 'suppression/', folder: 'src/suppression' },
  { name: 'deliveries/', folder: 'src/deliveries' },
  { name: 'campaigns/', folder: 'src/campaigns' },
  { name: 'catalog/', folder: 'src/catalog' },
  { name: 'history/', folder: 'src/history' },
  { name: 'webhooks/', folder: 'src/webhooks' },
  { name: 'postgres/', folder: 'src/postgres' },
  { name: 'smn/events/', folder: 'src/smn/events' },
  { name: 'policy/', folder: 'src/policy' },
  { name: 'smn/', folder: 'src/smn' },
  { name: 'state/', folder: 'src/state' },
  { name: 'simulator/main.ts', files: ['src/simulator/main.ts'] },
  { name: 'simulator/', folder: 'src/simulator' },
  { name: 'errors/', folder: 'src/errors' },
  { name: 'observability/', folder: 'src/observability' },
  { name: 'util/', folder: 'src/util' },
  { name: 'error-codes.ts', files: ['src/error-codes.ts'] },
];

/** Leaves every layer below the composition root may use besides what the table lists for it. */
export const everywhere = ['error-codes.ts', 'errors/', 'observability/', 'util/'];

const all = layers.map((layer) => layer.name);

/**
 * What each layer may import, besides itself and `everywhere`. Anything not listed is refused.
 * The leaves list their own (smaller) allowances and do not get `everywhere`.
 */
export const allowedImports = {
  'app.ts': all,
  'wiring/': all,
  'config/': ['auth/', 'policy/', 'smn/', 'smn/events/'],
  'http/': ['smn/events/'],
  'graphql/': [
    'auth/',
    'send/',
    'campaigns/',
    'catalog/',
    'deliveries/',
    'suppression/',
    'history/',
    'webhooks/',
    'smn/',
    'http/',
    'config/',
  ],
  'auth/': [],
  'send/': ['smn/', 'policy/', 'auth/', 'suppression/'],
  'suppression/': ['auth/'],
  'deliveries/': ['send/', 'suppression/', 'campaigns/', 'auth/'],
  'campaigns/': ['send/', 'policy/', 'catalog/', 'smn/', 'auth/'],
  'catalog/': ['smn/'],
  'history/': ['send/', 'suppression/', 'auth/'],
  'webhooks/': ['send/', 'suppression/', 'deliveries/', 'campaigns/', 'auth/'],
  'postgres/': ['history/', 'send/', 'suppression/', 'config/'],
  'smn/events/': ['deliveries/', 'send/', 'smn/'],
  'policy/': [],
  'smn/': [],
  'state/': ['send/', 'suppression/', 'deliveries/', 'campaigns/', 'history/', 'webhooks/', 'smn/events/', 'config/'],
  'simulator/main.ts': ['simulator/', 'config/'],
  'simulator/': ['smn/', 'smn/events/'],
  'errors/': ['error-codes.ts'],
  'observability/': ['error-codes.ts'],
  'util/': [],
  'error-codes.ts': [],
};

/** Of those, the imports that may bring in types only (`import type`): no code runs across them. */
export const typeOnlyImports = {
  'config/': ['auth/', 'smn/'],
  'http/': ['smn/events/'],
  'graphql/': ['config/'],
  'deliveries/': ['campaigns/'],
  'webhooks/': ['send/', 'suppression/', 'deliveries/', 'campaigns/'],
  'state/': ['config/'],
  'postgres/': ['config/'],
};

const leaves = new Set(everywhere);

/** Everything a layer may import, itself included. */
export function importsOf(name) {
  const listed = allowedImports[name] ?? [];
  return [...new Set([name, ...listed, ...(leaves.has(name) ? [] : everywhere)])];
}
