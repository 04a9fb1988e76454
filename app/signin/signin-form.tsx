'use client';

import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { signInErrorMessage } from '@/server/auth/sign-in-errors';

interface Props {
  callbackUrl: string;
  oidc: boolean;
  /** next-auth's `error` parameter, when a sign-in elsewhere sent the browser here. */
  initialError: string | null;
  initialValue: string | null;
}

export function SignInForm({ callbackUrl, oidc, initialError, initialValue }: Props) {
  const [error, setError] = useState(
    initialError ? signInErrorMessage(initialError, initialValue) : null,
  );
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      // next-auth fetches its CSRF token and posts it with the credentials.
      const res = await signIn('credentials', {
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        redirect: false,
        callbackUrl,
      });
      if (res?.ok && !res.error) {
        // A full load, so the top bar and every server component see the new session.
        window.location.assign(callbackUrl);
        return;
      }
      setError(signInErrorMessage(res?.error ?? 'Default'));
    } catch {
      setError('The archive did not answer: check the connection and try again.');
    }
    setBusy(false);
  }

  return (
    <>
      <form className="stack" onSubmit={submit} aria-label="Sign in with email and password">
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p className="error" role="alert" data-testid="signin-error" suppressHydrationWarning>
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {oidc && (
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void signIn('oidc', { callbackUrl })}
        >
          Sign in with your clinic account
        </button>
      )}
    </>
  );
}
