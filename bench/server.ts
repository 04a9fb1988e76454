/**
 * The archive without Next.js: DICOMweb only, configured from the environment like
 * server/main.ts. The benchmark falls back to it when no Next build (.next) exists and one
 * cannot be made, and says so in its report, since its memory then excludes the web app.
 */
import { openArchive } from '../server/app';
import { loadConfig } from '../server/config';
import { createServer } from '../server/http/server';

async function main(): Promise<void> {
  const config = loadConfig();
  const archive = await openArchive(config);
  const server = createServer(archive);
  server.listen(config.PORT, config.HOST);

  const stop = () => {
    server.close();
    void archive.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
