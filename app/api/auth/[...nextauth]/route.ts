import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { authOptions } from '@/server/auth/next-auth';
import { originFromHeaders } from '@/server/auth/origin';
import { runningArchive } from '@/server/trpc/context';

interface RouteContext {
  params: Promise<{ nextauth: string[] }>;
}

// Options per request, so that sign-in and sign-out events record where they came from.
function handler(req: NextRequest, ctx: RouteContext) {
  return NextAuth(req, ctx, authOptions(runningArchive(), originFromHeaders(req.headers)));
}

export { handler as GET, handler as POST };
