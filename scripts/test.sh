#!/usr/bin/env bash
# npm test: the whole suite — unit tests, integration tests against the real PostgreSQL, and
# browser tests in Debian's Chromium. Set TEST_DATABASE_URL to use another PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
bash scripts/test-deps.sh
export NODE_ENV=test
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
[ -d server/db/generated ] || npx prisma generate >/dev/null
echo "Typecheck and lint"
npx tsc --noEmit
npx eslint --quiet .
dirs=$(ls -d server workers scripts playwright 2>/dev/null)
files=$(find $dirs -name '*.test.ts' -not -path '*/node_modules/*' | sort)
exec node --import tsx --test --test-concurrency=2 --test-reporter=spec $files
