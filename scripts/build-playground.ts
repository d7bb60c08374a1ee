// Bundles the playground (playground/main.tsx: GraphiQL + explorer, React) with esbuild into
// playground/dist/, and writes its preloaded tabs from operations/*.graphql + playground/examples.json.
// Run by `npm run build` and, when missing, by the test setup.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const out = new URL('playground/dist/', root);
await mkdir(out, { recursive: true });

await build({
  entryPoints: [new URL('playground/main.tsx', root).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  outdir: out.pathname,
  entryNames: 'playground',
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file' },
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'linked',
  logLevel: 'warning',
});

// One tab per operation document, the send first, each with variables that hit the simulator's rules.
const examples = JSON.parse(await readFile(new URL('playground/examples.json', root), 'utf8'));
const documents = (await readdir(new URL('operations/', root))).filter((name) => name.endsWith('.graphql')).sort();
const tabs = [];
for (const name of documents) {
  const query = (await readFile(new URL(`operations/${name}`, root), 'utf8')).trim();
  const operation = /^(?:query|mutation)\s+(\w+)/m.exec(query)?.[1] ?? name;
  const variables = examples[operation];
  tabs.push({ operation, query, ...(variables && { variables: JSON.stringify(variables, null, 2) }) });
}
tabs.sort((a, b) => Number(b.operation === 'PublishPromotionSms') - Number(a.operation === 'PublishPromotionSms'));
await writeFile(new URL('tabs.json', out), `${JSON.stringify(tabs, null, 2)}\n`);
console.log(`playground bundled into playground/dist/ (${tabs.length} tabs)`);
