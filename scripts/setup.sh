#!/usr/bin/env bash
# npm run setup: install dependencies, generate the database client, build the web app, create
# the database schema and seed the demo site. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

export ONNXRUNTIME_NODE_INSTALL=skip
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi

npx prisma generate
# Turbopack's production build can hang on Cornerstone's worker; webpack does not. A limit makes
# a hang fail instead of waiting forever.
timeout 900 npx next build --webpack
npm run build:server
npx tsx scripts/seed.ts
echo
echo "Setup done. Start the platform with: npm start"
