/**
 * Structured logs: a fixed message, data in fields. Never log patient names, IDs or birth
 * dates: log our own UUIDs and DICOM UIDs only.
 */
import pino from 'pino';

export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  base: undefined,
  redact: ['req.headers.authorization', 'req.headers.cookie'],
});

export type Logger = pino.Logger;
