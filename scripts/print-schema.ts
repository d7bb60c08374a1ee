import { writeFile } from 'node:fs/promises';
import { printApiSchema, printSubgraphSchema } from '../src/graphql/schema.js';

await writeFile(new URL('../schema.graphql', import.meta.url), await printApiSchema());
await writeFile(new URL('../subgraph.graphql', import.meta.url), await printSubgraphSchema());
console.log('schema.graphql and subgraph.graphql written');
