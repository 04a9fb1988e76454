/**
 * `npm start`: the archive, DICOMweb and the web app on one port.
 */
import next from 'next';
import { ConfigError, loadConfig } from './config';
import { openArchive } from './app';
import { configureAuthUrl } from './auth/auth-url';
import { createServer, type NextHandler } from './http/server';
import { log } from './log';
import { PROJECT_ROOT } from './paths';

async function main(): Promise<void> {
  const config = loadConfig();
  const dev = process.argv.includes('--dev');
  const archive = await openArchive(config);

  let handle: NextHandler | undefined;
  if (config.WEB_APP === 'on') {
    configureAuthUrl(config);
    const app = next({ dev, dir: PROJECT_ROOT, hostname: config.HOST, port: config.PORT });
    await app.prepare();
    const nextHandle = app.getRequestHandler();
    handle = (req, res) => nextHandle(req, res);
  }
  const server = createServer(archive, handle);

  server.listen(config.PORT, config.HOST, () => {
    const where = config.DATABASE_URL ? 'PostgreSQL' : `embedded PostgreSQL in ${config.dataDir}`;
    log.info({ port: config.PORT, host: config.HOST, database: archive.db.kind }, 'listening');
    console.log(
      `Archive ready: http://${config.HOST}:${config.PORT}  (DICOMweb at /dicomweb, ${where})`,
    );
  });

  const stop = async () => {
    server.close();
    await archive.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
