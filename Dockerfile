# Outbound's image: the API (default command), the worker, the migration and the CLI, one per command
# (deploy/, docs/deployment.md). Built and run by `npm run image:check` (podman) in CI.
#   worker:      node --max-old-space-size=192 --import tsx scripts/start-worker.ts
#   migrations:  node --import tsx scripts/migrate.ts
#   the CLI:     node --import tsx scripts/cli.ts <command>
# Runs as the unprivileged `node` user on a read-only root filesystem; only /tmp must be writable
# (tsx keeps its compile cache there).

# 1. Every dependency, once: the console's build (vite) and the workflow bundle (webpack) need the dev ones.
FROM node:22-bookworm-slim AS dev-deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm's downloads are cached across builds (and shared with the production install below); `npm-ca` is an
# optional build secret for a registry reached through a TLS-intercepting proxy (npm run image:check
# passes the host's CA bundle; the image keeps nothing of it).
RUN --mount=type=cache,target=/root/.npm --mount=type=secret,id=npm-ca \
  if [ -s /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi; \
  npm ci --no-audit --no-fund

# 2. The console: console/ → console/dist, served by the API at `/`.
FROM dev-deps AS console
COPY tsconfig.json ./
COPY console ./console
# The console's fields share their limits with the API.
COPY core/input-limits.ts ./core/input-limits.ts
RUN node node_modules/vite/bin/vite.js build --config console/vite.config.ts

# 3. The workflow bundle the worker loads (OUTBOUND_WORKFLOW_BUNDLE) instead of bundling at each start.
FROM dev-deps AS workflows
COPY tsconfig.json temporal.config.ts ./
COPY workflows ./workflows
COPY activities ./activities
COPY core ./core
COPY db ./db
COPY scripts ./scripts
RUN npm run build:workflows

# 3b. GraphiQL's files, minified and compressed (brotli, gzip) once: dist/graphiql, served at
# /graphiql-assets/ when OUTBOUND_PLAYGROUND is on (without them the API would make them in memory).
FROM dev-deps AS graphiql
COPY tsconfig.json ./
COPY api/graphiql-files.ts api/playground.ts api/http-policy.ts ./api/
COPY scripts/build-graphiql.ts ./scripts/
COPY scripts/lib/graphiql-build.ts ./scripts/lib/
RUN node --import tsx scripts/build-graphiql.ts

# 4. Production dependencies only (tsx runs the TypeScript entry points: it is one of them). The
# Temporal core bridge ships a native library per platform: keep this one's.
FROM node:22-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm --mount=type=secret,id=npm-ca \
  if [ -s /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi; \
  npm ci --omit=dev --no-audit --no-fund \
  && case "$(uname -m)" in aarch64) keep=aarch64-unknown-linux-gnu ;; *) keep=x86_64-unknown-linux-gnu ;; esac \
  && find node_modules/@temporalio/core-bridge/releases -mindepth 1 -maxdepth 1 ! -name "$keep" -exec rm -rf {} + \
  && rm -rf node_modules/@temporalio/core-bridge/sdk-core

# 5. The image: code, production node_modules, the built console, GraphiQL and workflow bundle, all owned
# by root.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    OUTBOUND_WORKFLOW_BUNDLE=/app/dist/workflows.js \
    OUTBOUND_PLAYGROUND=off \
    PORT=4000 \
    OUTBOUND_WORKER_HTTP_PORT=4001
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=workflows /app/dist ./dist
COPY --from=console /app/console/dist ./console/dist
COPY --from=graphiql /app/dist/graphiql ./dist/graphiql
COPY package.json tsconfig.json temporal.config.ts ./
COPY activities ./activities
COPY api ./api
COPY core ./core
COPY db ./db
COPY scripts ./scripts
COPY workflows ./workflows
USER node
EXPOSE 4000 4001
# `node` itself (not npm) so SIGTERM reaches the process that stops within its bound.
CMD ["node", "--import", "tsx", "scripts/start-api.ts"]
