// The self-hosted playground: GraphiQL and its explorer, bundled at build time (scripts/build-playground.mjs)
// and served by the service itself. No request leaves for a CDN.
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';

interface PlaygroundConfig {
  readonly endpoint: string;
  readonly tabs: Array<{ query: string; variables?: string; headers?: string }>;
}

const config = JSON.parse(document.getElementById('playground-config')!.textContent!) as PlaygroundConfig;
const fetcher = createGraphiQLFetcher({ url: new URL(config.endpoint, window.location.href).href });

createRoot(document.getElementById('playground')!).render(
  <GraphiQL
    fetcher={fetcher}
    plugins={[explorerPlugin()]}
    defaultTabs={config.tabs}
    defaultEditorToolsVisibility="variables"
    shouldPersistHeaders={false}
  />,
);
