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
  config: Pick<Config, 'MAX_PART_BYTES'>;
  log: Logger;
}

/**
 * The site an upload is made for; its issuer fills a missing IssuerOfPatientID. An instance of
 * a study already held for another site joins that study only if the uploader may upload there.
 */
export interface UploadSite {
  id: string;
  organizationId: string;
  defaultIssuerOfPatientID: string;
  mayUploadTo(siteId: string): boolean;
}
