/**
 * Sign-in for the web app (next-auth v4): email and password, and the clinic's OpenID Connect
 * provider when OIDC_* is configured. Sessions are JWTs in an http-only cookie whose claim
 * `uid` is our User.id; server/auth/session.ts reads that claim on every request that is not
 * Next.js's own, so the two must agree on its name.
 *
 * The options are built per request (see app/api/auth/[...nextauth]/route.ts) so that the
 * audit events of a sign-in carry the address it came from: next-auth's callbacks never see
 * the request itself.
 */
import type { AuthOptions, Profile } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { z } from 'zod';
import type { Archive } from '../app';
import type { Config } from '../config';
import { audit, type AuditOrigin } from './audit';
import { signInWithOidc } from './oidc-user';
import { signInWithPassword } from './passwords';
import { principalForUser, type Principal } from './principal';
import { LOCKED_ERROR_PREFIX, OIDC_ERROR_PREFIX } from './sign-in-errors';

export const OIDC_PROVIDER_ID = 'oidc';

const SESSION_MAX_AGE_S = 8 * 60 * 60;
const SESSION_UPDATE_AGE_S = 60 * 60;

const ZCredentials = z.object({
  email: z.string().trim().toLowerCase().min(1).max(320),
  password: z.string().min(1).max(1024),
});

export function oidcConfigured(config: Config): boolean {
  return !!(config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET);
}

function oidcProvider(config: Config): OAuthConfig<Profile & Record<string, unknown>> {
  const issuer = config.OIDC_ISSUER!.replace(/\/+$/, '');
  return {
    id: OIDC_PROVIDER_ID,
    name: 'your clinic account',
    type: 'oauth',
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: 'openid email profile' } },
    idToken: true,
    checks: ['pkce', 'state'],
    profile(claims) {
      const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null;
      return { id: String(claims.sub), email, name: claims.name ?? email };
    },
  };
}

/** Who a session token stands for, for the sign-out event; null when the user is gone. */
async function principalOfToken(archive: Archive, token: JWT | null): Promise<Principal | null> {
  if (typeof token?.uid !== 'string') return null;
  try {
    return await principalForUser(archive.ctx.db, { id: token.uid }, 'session');
  } catch {
    return null;
  }
}

export function authOptions(archive: Archive, origin: AuditOrigin = {}): AuthOptions {
  const { db, log } = archive.ctx;
  const config = archive.config;

  const credentials = CredentialsProvider({
    id: 'credentials',
    name: 'email and password',
    credentials: {
      email: { label: 'Email', type: 'email' },
      password: { label: 'Password', type: 'password' },
    },
    async authorize(raw) {
      const input = ZCredentials.safeParse(raw);
      if (!input.success) return null;
      const { email, password } = input.data;

      const result = await signInWithPassword(db, email, password);
      if (result.ok) {
        const principal = await principalForUser(db, { id: result.userId }, 'session');
        await audit(db, log, { action: 'SIGN_IN', outcome: 'SUCCESS', principal, origin });
        return { id: result.userId, email: result.email };
      }

      await audit(db, log, {
        action: 'SIGN_IN_FAILED',
        outcome: 'FAILURE',
        email,
        origin,
        detail: { reason: result.reason, provider: 'credentials' },
      });
      // A thrown error's message becomes next-auth's `error` parameter: the only way to tell
      // the form until when the account stays locked. A disabled account answers like a wrong
      // password, so that nobody learns it exists without knowing its password.
      if (result.reason === 'locked' && result.lockedUntil) {
        throw new Error(`${LOCKED_ERROR_PREFIX}${result.lockedUntil.toISOString()}`);
      }
      return null;
    },
  });

  return {
    secret: config.authSecret,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S, updateAge: SESSION_UPDATE_AGE_S },
    providers: oidcConfigured(config) ? [credentials, oidcProvider(config)] : [credentials],
    pages: { signIn: '/signin', error: '/signin' },
    logger: {
      error: (code, metadata) => {
        const err = metadata instanceof Error ? metadata : undefined;
        log.error({ code, message: err?.message }, 'sign-in library error');
      },
      warn: (code) => log.warn({ code }, 'sign-in library warning'),
      debug: () => {},
    },
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;

        const claims = (profile ?? {}) as Record<string, unknown>;
        const result = await signInWithOidc(db, { claims, rolesClaim: config.OIDC_ROLES_CLAIM });
        if (result.ok) {
          const principal = await principalForUser(db, { id: result.userId }, 'session');
          await audit(db, log, {
            action: 'SIGN_IN',
            outcome: 'SUCCESS',
            principal,
            origin,
            detail: { provider: OIDC_PROVIDER_ID, created: result.created },
          });
          return true;
        }

        const value = 'role' in result ? result.role : 'site' in result ? result.site : undefined;
        await audit(db, log, {
          action: 'SIGN_IN_FAILED',
          outcome: 'FAILURE',
          email: result.email,
          origin,
          detail: {
            reason: result.reason,
            provider: OIDC_PROVIDER_ID,
            ...('role' in result ? { role: result.role } : {}),
            ...('site' in result ? { site: result.site } : {}),
          },
        });
        // Role names and site codes are configuration, not personal data: safe to log.
        log.warn({ reason: result.reason, value }, 'OIDC sign-in refused');
        const params = new URLSearchParams({ error: `${OIDC_ERROR_PREFIX}${result.reason}` });
        if (value) params.set('value', value);
        return `/signin?${params}`;
      },

      async jwt({ token, user, account }) {
        if (!user || !account) return token;
        if (account.provider === 'credentials') {
          token.uid = user.id;
        } else if (user.email) {
          const row = await db.user.findUnique({
            where: { email: user.email.toLowerCase() },
            select: { id: true },
          });
          if (row) token.uid = row.id;
        }
        return token;
      },
    },
    events: {
      async signOut({ token }) {
        const principal = await principalOfToken(archive, token);
        await audit(db, log, {
          action: 'SIGN_OUT',
          outcome: 'SUCCESS',
          principal: principal ?? undefined,
          email: principal ? undefined : (token?.email ?? undefined),
          origin,
        });
      },
    },
  };
}
