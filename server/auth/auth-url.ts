/**
 * The base URL next-auth builds its redirects and OIDC callback URLs from. With PUBLIC_URL it
 * is that address. Without it, next-auth v4 is told to trust the request's host: it then reads
 * x-forwarded-host and x-forwarded-proto, which Next.js fills from the socket when no proxy
 * did, so sign-in works on whatever host and port the server was started on (`npm start`,
 * tests on random ports). Behind a proxy that does not set those headers, set PUBLIC_URL.
 *
 * next-auth reads these variables on each request, so this must run before Next.js serves
 * its first one (server/main.ts).
 */
import type { Config } from '../config';

export function configureAuthUrl(
  config: Pick<Config, 'PUBLIC_URL'>,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (config.PUBLIC_URL) {
    env.NEXTAUTH_URL = new URL('/api/auth', config.PUBLIC_URL).toString();
    return;
  }
  if (!env.NEXTAUTH_URL) env.AUTH_TRUST_HOST = 'true';
}
