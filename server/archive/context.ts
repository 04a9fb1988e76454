/**
 * What every archive service function needs, passed explicitly so that tests, the HTTP
 * server, the ingest CLI and (later) workers and DIMSE listeners build it the same way.
 */
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { Logger } from '../log';
import type { BlobStore } from '../storage/types';

export interface ArchiveContext {
  db: Db;
  store: BlobStore;
  config: Pick<Config, 'MAX_PART_BYTES' | 'DEFAULT_SITE_CODE'>;
  log: Logger;
}

/** The site an upload is made for; its issuer fills a missing IssuerOfPatientID. */
export interface UploadSite {
  id: string;
  defaultIssuerOfPatientID: string;
}
