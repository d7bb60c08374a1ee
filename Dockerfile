# syntax=docker/dockerfile:1
# smn-gateway: build with dev dependencies, run with production dependencies only, as a non-root user.

# Node 24 LTS, pinned to the exact release CI also tests with (.ci/run); bump both together, once the
# whole suite passes on the new release (24.20+ is fine for the SMN retry: docs/operations.md, Docker).
FROM node:24.19.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The playground (GraphiQL) is bundled here, so the runtime needs no front-end packages.
COPY playground ./playground
COPY operations ./operations
# The typed client's operations become the service's own trusted documents (dist/trusted-documents.json,
# loaded when TRUSTED_DOCUMENTS_MANIFEST is unset): the build reads client/generated.ts.
COPY client ./client
COPY scripts/build-playground.ts scripts/build-trusted-documents.ts ./scripts/
COPY scripts/lib/trusted-documents-manifest.ts ./scripts/lib/
RUN npm run build

FROM node:24.19.0-bookworm-slim AS runtime
# In production the service needs its SMN settings (or SMN_MODE=simulator said out loud) and, with real
# SMN, authentication: the image listens on every interface (127.0.0.1 is unreachable in a container).
ENV NODE_ENV=production \
    PORT=4000 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/playground/dist ./playground/dist
# The history's schema migrations (node-pg-migrate runs them at start when HISTORY_DATABASE_URL is set).
COPY migrations ./migrations
# The official image's unprivileged user (uid 1000).
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node receives SIGTERM directly (exec form): readiness turns false, in-flight sends finish (bounded by
# SHUTDOWN_TIMEOUT_MS, 25 s by default, inside Docker's and Kubernetes' usual 30 s grace), then it exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/main.js"]
