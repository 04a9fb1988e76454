/**
 * AppError codes as tRPC codes, derived from the HTTP status in server/errors.ts's one table,
 * so a code added there needs nothing here. The message is the AppError's, which is written
 * to be shown to the caller.
 */
import { TRPCError } from '@trpc/server';
import { CODE_TABLE, isAppError } from '../errors';

type TrpcCode = ConstructorParameters<typeof TRPCError>[0]['code'];

const BY_STATUS: Record<number, TrpcCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  406: 'BAD_REQUEST',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

export function toTrpcError(e: unknown): TRPCError | undefined {
  if (!isAppError(e)) return undefined;
  const code = BY_STATUS[CODE_TABLE[e.code].http] ?? 'INTERNAL_SERVER_ERROR';
  return new TRPCError({ code, message: e.message, cause: e });
}
