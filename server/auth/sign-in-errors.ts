/**
 * The errors a sign-in can end with, as next-auth's `error` parameter carries them, and the
 * sentence the sign-in page shows for each. Shared by the server (server/auth/next-auth.ts)
 * and the browser (app/signin): it must import nothing.
 */

/** A locked account: the ISO time the lock ends follows the prefix. */
export const LOCKED_ERROR_PREFIX = 'locked-until:';

/** A refused sign-in through the clinic's provider: `oidc-<reason>`, with `value` alongside. */
export const OIDC_ERROR_PREFIX = 'oidc-';

function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'a few minutes';
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
}

export function signInErrorMessage(error: string, value?: string | null): string {
  if (error.startsWith(LOCKED_ERROR_PREFIX)) {
    const until = clock(error.slice(LOCKED_ERROR_PREFIX.length));
    return `Too many failed attempts: try again after ${until}.`;
  }
  switch (error) {
    case 'CredentialsSignin':
      return 'Wrong email or password.';
    case 'oidc-unknown-role':
      return `Your sign-in provider sent a role this archive does not know: ${value ?? '?'}`;
    case 'oidc-unknown-site':
      return `Your sign-in provider sent a site this archive does not know: ${value ?? '?'}`;
    case 'oidc-no-organization':
      return (
        `Your sign-in provider sent the role ${value ?? '?'} without a site, and this archive ` +
        'serves several organizations: ask your administrator to send it as ROLE@SITE.'
      );
    case 'oidc-no-email':
      return 'Your sign-in provider sent no email address: ask your administrator.';
    case 'oidc-disabled':
      return 'This account is disabled: ask your administrator.';
    case 'SessionRequired':
      return 'Sign in to continue.';
    case 'OAuthSignin':
    case 'OAuthCallback':
    case 'OAuthCreateAccount':
    case 'OAuthAccountNotLinked':
    case 'Callback':
      return 'Sign-in through your clinic account failed: try again, or ask your administrator.';
    case 'AccessDenied':
      return 'Sign-in refused.';
    default:
      return 'Sign-in failed: try again.';
  }
}

/**
 * Where to go after signing in: a path of this site only, so that a crafted link cannot send
 * someone who just signed in to another site.
 */
export function safeCallbackPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  return raw;
}
