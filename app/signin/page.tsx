import { redirect } from 'next/navigation';
import { oidcConfigured } from '@/server/auth/next-auth';
import { safeCallbackPath } from '@/server/auth/sign-in-errors';
import { runningArchive } from '@/server/trpc/context';
import { currentContext } from '../session';
import { SignInForm } from './signin-form';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(first(params.callbackUrl));
  const ctx = await currentContext();
  if (ctx.principal) redirect(callbackUrl);

  return (
    <section className="signin">
      <h1>Sign in</h1>
      <SignInForm
        callbackUrl={callbackUrl}
        oidc={oidcConfigured(runningArchive().config)}
        initialError={first(params.error) ?? null}
        initialValue={first(params.value) ?? null}
      />
    </section>
  );
}
