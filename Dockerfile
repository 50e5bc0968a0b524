# Relife service image (Node 20, runs the TypeScript sources through tsx as `npm start` does).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# tsx is a runtime dependency; dev dependencies (vitest, drizzle-kit, typescript) are not needed.
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY drizzle ./drizzle
COPY src ./src
COPY bin ./bin
ENV PORT=4000 HOST=0.0.0.0
EXPOSE 4000
USER node
CMD ["node", "--import", "tsx", "src/server.ts"]
