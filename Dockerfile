# One image for every Node process of the production shape (api, firmware-bridge, migrate);
# compose.yaml picks the process with `command`. TypeScript runs through tsx (a dependency).

# Only the npm manifests, so that `npm ci` below stays cached until a dependency changes.
FROM node:20-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
  && find . -type d -empty -delete

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=manifests /src/ ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .
USER node
EXPOSE 4000
CMD ["node", "--import", "tsx", "services/api/main.ts"]
