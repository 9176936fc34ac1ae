# syntax=docker/dockerfile:1
#
# The Fleetscope console as a container image (compose.yaml runs two of them behind a load balancer).
#   docker build -t fleetscope .
#   docker run -p 3000:3000 -e FLEETSCOPE_DATABASE_URL=postgres://… fleetscope
# Stages: toolchain (compilers for better-sqlite3's native addon) → prod-deps (production dependencies only) and
# build (every dependency, `next build`) → runtime (the bundle, the production dependencies, no compiler, non-root).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS toolchain
# better-sqlite3 downloads a prebuilt addon when one matches and compiles it otherwise: have the tools for both.
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# The lock file names the sandbox workspace: npm needs its manifest even when it installs none of it.
COPY package.json package-lock.json ./
COPY sandbox/package.json sandbox/package.json

FROM toolchain AS prod-deps
# The sandbox workspace, TypeScript, the linters and the test tools are dev dependencies: none of them ships.
# npm links the workspace into node_modules even when it installs none of it: drop the dangling link.
RUN npm ci --omit=dev && rm -rf node_modules/@fleetscope && npm cache clean --force

FROM toolchain AS build
RUN npm ci
COPY . .
# The build cache is for rebuilds on this machine, not for the image.
RUN npm run build && rm -rf .next/cache

FROM ${NODE_IMAGE} AS runtime
# NEXT_MANUAL_SIG_HANDLE: `next start` installs no SIGTERM/SIGINT handler of its own (it would exit the process
# while ours still hands the leases over); ours (lib/data/traffic/runtime.ts) releases both leases, then exits.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    NEXT_MANUAL_SIG_HANDLE=true \
    PORT=3000
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/.next ./.next
COPY --from=build --chown=root:root /app/package.json /app/next.config.ts ./
# The code is root's and read-only to the server; only .data (the SQLite default and the login-token file) is
# the server's to write. A team deployment keeps its state in PostgreSQL (FLEETSCOPE_DATABASE_URL).
RUN mkdir -p /app/.data && chown node:node /app/.data && chmod 0700 /app/.data
USER node
EXPOSE 3000
# No curl in the image: node's fetch asks this replica's own health endpoint (200 while its store answers).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `next start` directly, no npm in between: SIGTERM reaches the server, which releases its leases at once and
# exits within 8 s (compose.yaml gives it more grace than that).
CMD ["node", "node_modules/next/dist/bin/next", "start", "-H", "0.0.0.0"]
