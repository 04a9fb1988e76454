/**
 * One DICOMweb request as the handlers see it: the archive, the Node request and response, the
 * path parameters, who is asking, and where from (for the audit trail).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ArchiveContext } from '../archive/context';
import type { AuditOrigin } from '../auth/audit';
import type { Principal } from '../auth/principal';

export interface Call {
  ctx: ArchiveContext;
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  principal: Principal;
  origin: AuditOrigin;
}
