import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { createCaller } from '@/server/trpc/router';
import { currentContext } from './session';
import { SignOutButton } from './sign-out-button';
import './globals.css';

// Every page depends on who is signed in.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Eye archive',
  description: 'Ophthalmic image archive with screening, grading and co-review',
};

async function signedIn() {
  const ctx = await currentContext();
  return ctx.principal ? createCaller(ctx).me() : null;
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const me = await signedIn();
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            Eye archive
          </Link>
          {me && (
            <nav className="topnav" aria-label="Archive">
              <Link href="/studies">Studies</Link>
            </nav>
          )}
          {me?.isAdmin && (
            <nav className="topnav" aria-label="Administration">
              <Link href="/admin/tokens">API tokens</Link>
              <Link href="/admin/audit">Audit trail</Link>
            </nav>
          )}
          {me && (
            <div className="whoami" data-testid="whoami">
              <span className="name">{me.name}</span>
              <span className="email">{me.email}</span>
              <span className="roles" data-testid="roles">
                {me.roles.join(', ') || 'no role'}
              </span>
              <SignOutButton />
            </div>
          )}
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
