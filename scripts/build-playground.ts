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

// One tab per operation document, the send and the campaign workflow first, each with variables that
// hit the simulator's rules. Fragment files are not tabs: a document gets the fragments it spreads.
const examples = JSON.parse(await readFile(new URL('playground/examples.json', root), 'utf8'));
const documents = (await readdir(new URL('operations/', root))).filter((name) => name.endsWith('.graphql')).sort();
const sources = await Promise.all(
  documents.map(async (name) => (await readFile(new URL(`operations/${name}`, root), 'utf8')).trim()),
);
const fragments = new Map(
  sources.flatMap((source) => {
    const name = /^fragment\s+(\w+)/.exec(source)?.[1];
    return name ? [[name, source] as const] : [];
  }),
);
const FIRST = [
  'PublishPromotionSms',
  'CreatePromotionCampaign',
  'AddPromotionCampaignRecipients',
  'StartPromotionCampaign',
  'PromotionCampaignUpdates',
  'PromotionCampaign',
  'SmsCatalog',
];
const tabs = [];
for (const source of sources) {
  const operation = /^(?:query|mutation|subscription)\s+(\w+)/m.exec(source)?.[1];
  if (!operation) continue;
  const spread = [...fragments].filter(([name]) => source.includes(`...${name}`)).map(([, fragment]) => fragment);
  const query = [source, ...spread].join('\n\n');
  const variables = examples[operation];
  tabs.push({ operation, query, ...(variables && { variables: JSON.stringify(variables, null, 2) }) });
}
const rank = (operation: string) => (FIRST.includes(operation) ? FIRST.indexOf(operation) : FIRST.length);
tabs.sort((a, b) => rank(a.operation) - rank(b.operation));
await writeFile(new URL('tabs.json', out), `${JSON.stringify(tabs, null, 2)}\n`);
console.log(`playground bundled into playground/dist/ (${tabs.length} tabs)`);
