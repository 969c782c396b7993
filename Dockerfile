# syntax=docker/dockerfile:1
#
# Mirage images, one file, two targets:
#   app          CPU image: the CLI, `mirage mcp` (MCP server) and the Discord bot
#   worker-cuda  `mirage worker` on NVIDIA GPUs: CUDA 12 + cuDNN runtime, ONNX Runtime with its CUDA provider
#
# ONNX Runtime's install script fetches its CUDA provider only when asked:
#   docker build --target worker-cuda --build-arg ONNXRUNTIME_NODE_INSTALL=cuda12 .
# (docker-compose.yml passes it). "skip" keeps the CPU-only binaries that ship in the package.
# Installs here run no dependency scripts (--ignore-scripts) and then that one script by hand, so
# they do not depend on the npm version's allowScripts support; hence --engine-strict=false,
# which lets the base image's npm 10 install (package.json asks npm >= 11.16 for that support).

ARG NODE_IMAGE=node:20-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04

# Compiles TypeScript to dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --engine-strict=false
COPY . .
RUN npm run build

# Production dependencies; ONNX Runtime's optional binaries as asked.
FROM ${NODE_IMAGE} AS deps
ARG ONNXRUNTIME_NODE_INSTALL=skip
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --engine-strict=false \
 && cd node_modules/onnxruntime-node && ONNXRUNTIME_NODE_INSTALL=${ONNXRUNTIME_NODE_INSTALL} node script/install.js

FROM ${NODE_IMAGE} AS app
WORKDIR /app
ENV NODE_ENV=production MIRAGE_DATA_DIR=/data MIRAGE_MODELS_DIR=/models
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /data /models && chown node:node /data /models
USER node
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["--help"]

FROM ${NODE_IMAGE} AS node-runtime

FROM ${CUDA_IMAGE} AS worker-cuda
COPY --from=node-runtime /usr/local/bin/node /usr/local/bin/node
WORKDIR /app
ENV NODE_ENV=production MIRAGE_DATA_DIR=/data MIRAGE_MODELS_DIR=/models MIRAGE_EXECUTION_PROVIDER=cuda
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /data /models
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["worker"]
