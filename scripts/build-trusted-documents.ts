// Writes the service's own trusted-document manifest, dist/trusted-documents.json: every operation of
// the typed client (scripts/lib/trusted-documents-manifest.ts). Run by `npm run build`; the service
// loads it when TRUSTED_DOCUMENTS_MANIFEST is unset (src/config/trusted-documents.ts, BUILT_MANIFEST).
import { mkdir, writeFile } from 'node:fs/promises';
import { manifestText, projectManifest } from './lib/trusted-documents-manifest.js';

const out = new URL('../dist/', import.meta.url);
await mkdir(out, { recursive: true });
const manifest = await projectManifest();
await writeFile(new URL('trusted-documents.json', out), manifestText(manifest));
console.log(`trusted documents written to dist/trusted-documents.json (${manifest.operations.length} operations)`);
