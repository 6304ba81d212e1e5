# syntax=docker/dockerfile:1
#
# One image for every Caracal service; the container command picks the
# service, e.g. `serve ingest`. Build from the repository root:
#   docker build -t caracal:local .

# Node 26, the line package.json's engines asks for (the LTS "Lithium" line;
# docs/decisions/0015-node-26-runtime.md). Outside Docker, scripts/node.sh
# provides the same major.
ARG NODE_IMAGE=node:26-bookworm-slim
ARG PYTHON_IMAGE=python:3.12-slim-bookworm

# The pure-Python wheels detections may import, fetched and unpacked by the
# same script as `npm run setup` in an image that has pip; only their pin list
# is copied in, so the layer is rebuilt only when the pins change. The image
# gets the unpacked folder, which detection processes mount read-only
# (decision 0018), not the wheels.
FROM ${PYTHON_IMAGE} AS wheels
WORKDIR /src
COPY scripts/fetch-wheels.sh scripts/
COPY packages/detections/python-wheels.txt packages/detections/
RUN bash scripts/fetch-wheels.sh

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# The whole tree is copied before `npm ci` because npm needs every workspace's
# package.json in place; the cache mount keeps the reinstall after a source
# change cheap.
COPY . .
# Install scripts stay off, as the root package.json's allowScripts asks: the
# ones in the tree (chdb, protobufjs) do nothing the services need.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
RUN npm run build
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund
# Gather only what runs: each workspace's package.json (its "main" points into
# dist) and dist, any nested production node_modules, the CLI launcher, the
# proto files, the detection content, the log type schemas and the Python
# harness the detection interpreters load at run time.
RUN set -eu; \
    mkdir -p /out; \
    cp -a node_modules package.json /out/; \
    for dir in packages/* services/*; do \
      [ -f "$dir/package.json" ] || continue; \
      mkdir -p "/out/$dir"; \
      cp -a "$dir/package.json" "/out/$dir/"; \
      if [ -d "$dir/dist" ]; then cp -a "$dir/dist" "/out/$dir/"; fi; \
      if [ -d "$dir/node_modules" ]; then cp -a "$dir/node_modules" "/out/$dir/"; fi; \
    done; \
    cp -a packages/cli/bin /out/packages/cli/; \
    cp -a proto rules /out/; \
    cp -a packages/detections/python packages/detections/python-shims /out/packages/detections/; \
    cp -a packages/core/log-schemas /out/packages/core/; \
    find /out -name '*.tsbuildinfo' -delete

FROM ${NODE_IMAGE} AS runtime
# A fixed uid/gid lets Kubernetes' runAsUser/fsGroup and volume ownership on
# the host line up with the image. /etc/caracal (the control file's folder)
# belongs to that user so a Compose named volume mounted there starts out
# writable for the CLI; CARACAL_CONTROL_FILE stays unset here so that only the
# services that mount the file point at it.
RUN groupadd --system --gid 10001 caracal \
 && useradd --system --uid 10001 --gid caracal --home-dir /var/lib/caracal \
      --no-create-home --shell /usr/sbin/nologin caracal \
 && mkdir -p /var/lib/caracal /etc/caracal \
 && chown caracal:caracal /var/lib/caracal /etc/caracal
WORKDIR /app
# Application files stay owned by root so the service user cannot alter its
# own code or detections at run time.
COPY --from=build /out/ /app/
COPY --from=wheels /src/packages/detections/.python-packages/ /app/packages/detections/.python-packages/
ENV NODE_ENV=production \
    CARACAL_MODE=kafka \
    CARACAL_DATA_DIR=/var/lib/caracal \
    CARACAL_RULES_DIR=/app/rules \
    CARACAL_HTTP_PORT=8080 \
    CARACAL_GRPC_PORT=50051 \
    CARACAL_LOG_LEVEL=info
USER 10001:10001
# 8080 ingest, 50051 query; 9464 is every service's ops port (livez, readyz,
# metrics).
EXPOSE 8080 50051 9464
ENTRYPOINT ["node", "packages/cli/bin/caracal.js"]
# No default CMD: every deployment names the service it runs (`serve <name>`),
# so a forgotten command fails loudly instead of silently starting ingest.
