/**
 * Small helpers for answering on Node's http objects. Errors become the one JSON shape every
 * client gets: { error: { code, message } }, with the status from the error table.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, toAppError } from '../errors';
import type { Logger } from '../log';

export function sendJson(res: ServerResponse, status: number, body: unknown, type?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': type ?? 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, e: unknown, log: Logger): void {
  const err = toAppError(e);
  if (err.code === 'INTERNAL') log.error({ err: err.cause ?? err }, 'request failed');
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  sendJson(res, err.httpStatus, { error: { code: err.code, message: err.message } });
}

/** Drains what is left of a request body so the connection can be reused or closed cleanly. */
export function drain(req: IncomingMessage): void {
  req.resume();
}

export function badRequest(message: string): AppError {
  return new AppError('BAD_REQUEST', message);
}
