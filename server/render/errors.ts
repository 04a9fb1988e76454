/**
 * The two ways a frame can fail to render, both AppError CANNOT_DECODE: the transfer syntax
 * has no decoder here, or the data of this frame is damaged. Either way the stored original is
 * untouched and WADO-RS still serves it byte-exact, so the message says so.
 */
import { AppError } from '../errors';
import { transferSyntaxName } from './transfer-syntax';

/** No decoder for this transfer syntax (or for this variant of it, named in `detail`). */
export function cannotDecode(transferSyntaxUID: string, detail?: string): AppError {
  const what = detail ?? transferSyntaxName(transferSyntaxUID);
  return new AppError(
    'CANNOT_DECODE',
    `Rendering is not available for transfer syntax ${transferSyntaxUID} (${what}); ` +
      'the original is still retrievable byte-exact',
  );
}

/** The decoder exists but this frame's data could not be decoded. */
export function undecodable(transferSyntaxUID: string, reason: string, cause?: unknown): AppError {
  return new AppError(
    'CANNOT_DECODE',
    `The frame could not be decoded as ${transferSyntaxName(transferSyntaxUID)}: ${reason}; ` +
      'the original is still retrievable byte-exact',
    { cause },
  );
}
