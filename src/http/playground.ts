import { existsSync, readFileSync } from 'node:fs';
import express, { Router, type Request } from 'express';

/** Where `npm run build` (scripts/build-playground.ts) puts the bundle: <repo>/playground/dist, from src/ and dist/ alike. */
const BUNDLE = new URL('../../playground/dist/', import.meta.url);

interface Tab {
  readonly query: string;
  readonly variables?: string;
  readonly headers?: string;
}

function escapeForScript(json: string): string {
  return json.replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** What the page says when the service runs only trusted documents: the playground sends full text. */
function trustedDocumentsNotice(adhocScope: string): string {
  return `<p id="trusted-documents-notice" role="note">This service runs only trusted documents (TRUSTED_DOCUMENTS=require). The playground sends full documents, so they run only with a token that has the scope <code>${escapeHtml(adhocScope)}</code>; without it every request is refused with PERSISTED_QUERY_NOT_ALLOWED.</p>`;
}

function page(tabs: readonly Tab[], notice: string): string {
  const config = escapeForScript(JSON.stringify({ endpoint: '/graphql', tabs }));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>smn-gateway playground</title>
<link rel="stylesheet" href="/playground/playground.css">
<style>
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; }
#playground { flex: 1; min-height: 0; }
#trusted-documents-notice { margin: 0; padding: 8px 16px; font: 14px/1.4 system-ui, sans-serif; background: #fff4ce; color: #3b2f00; }
</style>
</head>
<body>
${notice}
<div id="playground"></div>
<script id="playground-config" type="application/json">${config}</script>
<script type="module" src="/playground/playground.js"></script>
</body>
</html>`;
}

/** A browser asking for a page (GraphQL GET requests carry a `query` or a `documentId` and are left to Apollo). */
function wantsPage(req: Request): boolean {
  return (
    req.method === 'GET' &&
    req.query.query === undefined &&
    req.query.documentId === undefined &&
    (req.headers.accept ?? '').includes('text/html')
  );
}

/**
 * The self-hosted GraphiQL playground at `GET /graphql` for browsers, its assets under `/playground/`,
 * preloaded with the documents from operations/ and example variables. With auth on, each tab gets an
 * Authorization header to fill in. Under TRUSTED_DOCUMENTS=require the page says that its full
 * documents need a token with the ad-hoc scope.
 */
export function playgroundRoutes(options: { authRequired: boolean; adhocScopeRequired?: string | undefined }): Router {
  const router = Router();
  if (!existsSync(new URL('tabs.json', BUNDLE))) {
    router.use('/graphql', (req, res, next) => {
      if (!wantsPage(req)) return next();
      res.status(503).type('text/plain').send('The playground is not built: run `npm run build`.');
    });
    return router;
  }
  const headers = options.authRequired ? JSON.stringify({ Authorization: 'Bearer <your token>' }, null, 2) : undefined;
  const tabs = (JSON.parse(readFileSync(new URL('tabs.json', BUNDLE), 'utf8')) as Tab[]).map((tab) => ({
    query: tab.query,
    ...(tab.variables !== undefined && { variables: tab.variables }),
    ...(headers !== undefined && { headers }),
  }));
  const html = page(
    tabs,
    options.adhocScopeRequired === undefined ? '' : trustedDocumentsNotice(options.adhocScopeRequired),
  );
  router.use('/playground', express.static(BUNDLE.pathname, { index: false, maxAge: '1h' }));
  // `use`, not `get`: a GET route would make Express answer OPTIONS /graphql itself, before CORS.
  router.use('/graphql', (req, res, next) => {
    if (!wantsPage(req) || req.path !== '/') return next();
    res.type('html').send(html);
  });
  return router;
}
