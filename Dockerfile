# Outbound's image: the API, the worker, the migration and the CLI, one per command (see deploy/ and
# docs/deployment.md). Only commands CI runs are used: npm ci, npm run build:workflows, and the
# tsx entry points the tests start. No Docker engine was available to build it here.

# 1. The workflow bundle, built with the dev dependencies once.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json temporal.config.ts ./
COPY workflows ./workflows
COPY core ./core
COPY db ./db
COPY scripts ./scripts
RUN npm run build:workflows

# 2. Production dependencies only (tsx runs the TypeScript entry points; it is one of them).
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. The image: code, production node_modules, the prebuilt bundle; runs as the unprivileged `node` user.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    OUTBOUND_WORKFLOW_BUNDLE=/app/dist/workflows.js \
    PORT=4000 \
    OUTBOUND_WORKER_HTTP_PORT=4001 \
    OUTBOUND_PLAYGROUND=off
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json tsconfig.json temporal.config.ts ./
COPY activities ./activities
COPY api ./api
COPY core ./core
COPY db ./db
COPY scripts ./scripts
COPY workflows ./workflows
USER node
EXPOSE 4000 4001
# The API by default; the worker:   node --max-old-space-size=192 --import tsx scripts/start-worker.ts
# migrations:                       node --import tsx scripts/migrate.ts
# the CLI:                          node --import tsx scripts/cli.ts <command>
# (npm run start:api / start:worker run the same files; node directly gets SIGTERM itself.)
CMD ["node", "--import", "tsx", "scripts/start-api.ts"]
