/**
 * One application error type. Each code maps, in one table, to an HTTP status and to the
 * DICOM FailureReason (PS3.18 §10.5.3 / PS3.4 Annex GG) a STOW response reports for it.
 * `message` is safe to show to the caller: it never contains patient data.
 */
export type ErrorCode =
  | 'NOT_DICOM'
  | 'TRUNCATED'
  | 'MISSING_ATTRIBUTE'
  | 'INVALID_ATTRIBUTE'
  | 'SOP_CLASS_MISMATCH'
  | 'STUDY_UID_MISMATCH'
  | 'CONFLICT_DIFFERENT_BYTES'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'TOO_MANY_ATTEMPTS'
  | 'NOT_ACCEPTABLE'
  | 'METHOD_NOT_ALLOWED'
  | 'CANNOT_DECODE'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL';

interface CodeInfo {
  http: number;
  /** DICOM FailureReason (0008,1197), used when the error refuses one instance in a STOW. */
  failureReason: number;
}

/** PS3.4 GG.4 / PS3.18 Table 10.5.3-2 failure reasons, in hex as the standard writes them. */
export const CODE_TABLE: Record<ErrorCode, CodeInfo> = {
  NOT_DICOM: { http: 400, failureReason: 0xc000 }, // Error: cannot understand
  TRUNCATED: { http: 400, failureReason: 0xc000 },
  MISSING_ATTRIBUTE: { http: 400, failureReason: 0xa900 }, // Data set does not match SOP class
  INVALID_ATTRIBUTE: { http: 400, failureReason: 0xa900 },
  SOP_CLASS_MISMATCH: { http: 400, failureReason: 0xa900 },
  STUDY_UID_MISMATCH: { http: 409, failureReason: 0xc122 }, // Referenced study UID mismatch
  CONFLICT_DIFFERENT_BYTES: { http: 409, failureReason: 0xa770 }, // Duplicate, different content
  UNSUPPORTED_MEDIA_TYPE: { http: 415, failureReason: 0xc000 },
  BAD_REQUEST: { http: 400, failureReason: 0xc000 },
  NOT_FOUND: { http: 404, failureReason: 0xc000 },
  UNAUTHENTICATED: { http: 401, failureReason: 0x0124 }, // Refused: not authorized (PS3.7 C.4)
  FORBIDDEN: { http: 403, failureReason: 0x0124 },
  TOO_MANY_ATTEMPTS: { http: 429, failureReason: 0x0124 },
  NOT_ACCEPTABLE: { http: 406, failureReason: 0xc000 },
  METHOD_NOT_ALLOWED: { http: 405, failureReason: 0xc000 },
  CANNOT_DECODE: { http: 406, failureReason: 0xc000 }, // no rendered form can be produced
  PAYLOAD_TOO_LARGE: { http: 413, failureReason: 0xa700 }, // Out of resources
  INTERNAL: { http: 500, failureReason: 0x0110 }, // Processing failure
};

export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }

  get httpStatus(): number {
    return CODE_TABLE[this.code].http;
  }

  get failureReason(): number {
    return CODE_TABLE[this.code].failureReason;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Wraps anything thrown into an AppError, keeping the original as `cause`. */
export function toAppError(e: unknown): AppError {
  if (isAppError(e)) return e;
  return new AppError('INTERNAL', 'Internal error', { cause: e });
}
