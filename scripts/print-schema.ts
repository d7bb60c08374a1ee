import { writeFile } from 'node:fs/promises';
import { printGatewaySchema, printSubgraphSchema } from '../src/graphql/schema.js';

await writeFile(new URL('../schema.graphql', import.meta.url), await printGatewaySchema());
await writeFile(new URL('../subgraph.graphql', import.meta.url), await printSubgraphSchema());
console.log('schema.graphql and subgraph.graphql written');
