import { defineConfig } from 'prisma/config';
import { existsSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';

// Prisma 7's CLI downloads a native schema engine before each command, and that host is not
// reachable here. `generate`, `validate` and `format` only need the variable to name an
// existing file; we point it at a stub that exits 1 so that a stray `prisma migrate` fails
// loudly. Migrations run through @prisma/schema-engine-wasm (server/db/migrate.ts).
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const stub = path.resolve('node_modules/.cache/prisma-schema-engine-stub.sh');
  if (!existsSync(stub)) {
    mkdirSync(path.dirname(stub), { recursive: true });
    writeFileSync(stub, '#!/bin/sh\necho "use npm run db:migrate" >&2\nexit 1\n');
    chmodSync(stub, 0o755);
  }
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
