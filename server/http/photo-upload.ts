/**
 * POST /api/photos: a fundus photo from a camera without DICOM (JPEG, PNG, TIFF), sent as
 * multipart/form-data with the patient, eye and (optionally) site, becomes an Ophthalmic
 * Photography instance in the archive. Answers 201 with the new instance's UIDs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from '@fastify/busboy';
import { z } from 'zod';
import { AppError } from '../errors';
import type { ArchiveContext, UploadSite } from '../archive/context';
import { storeInstance } from '../archive/store-instance';
import { Readable } from 'node:stream';
import { audit } from '../auth/audit';
import type { Principal } from '../auth/principal';
import { originOf } from './authenticate';
import { sendJson } from './respond';

const MAX_PHOTO_BYTES = 100 * 1024 ** 2;

export const ZPhotoFields = z.object({
  patientID: z.string().trim().min(1, 'patientID is required'),
  issuerOfPatientID: z.string().trim().optional(),
  patientName: z.string().trim().optional(),
  patientBirthDate: z
    .string()
    .regex(/^\d{8}$/, 'patientBirthDate is YYYYMMDD')
    .optional(),
  patientSex: z.enum(['M', 'F', 'O']).optional(),
  laterality: z.enum(['R', 'L'], { message: 'laterality is R (right eye) or L (left eye)' }),
  studyInstanceUID: z
    .string()
    .regex(/^[0-9.]{1,64}$/)
    .optional(),
  accessionNumber: z.string().max(16).optional(),
});

interface Form {
  fields: Record<string, string>;
  file?: { bytes: Buffer; contentType: string };
}

function readForm(req: IncomingMessage): Promise<Form> {
  return new Promise((resolve, reject) => {
    let bb: ReturnType<typeof busboy>;
    try {
      bb = busboy({
        headers: req.headers as Parameters<typeof busboy>[0]['headers'],
        limits: { fileSize: MAX_PHOTO_BYTES, files: 1 },
      });
    } catch {
      reject(
        new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          'Send the photo as multipart/form-data with a "file" field.',
        ),
      );
      return;
    }
    const form: Form = { fields: {} };
    bb.on('field', (name: string, value: string) => {
      form.fields[name] = value;
    });
    bb.on(
      'file',
      (_name: string, stream: Readable, _filename: string, _enc: string, mime: string) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('limit', () =>
          reject(new AppError('PAYLOAD_TOO_LARGE', 'Photos are limited to 100 MB.')),
        );
        stream.on('end', () => {
          form.file = { bytes: Buffer.concat(chunks), contentType: mime };
        });
      },
    );
    bb.on('error', (e: Error) =>
      reject(new AppError('BAD_REQUEST', `The form could not be read: ${e.message}`)),
    );
    bb.on('finish', () => resolve(form));
    req.pipe(bb);
  });
}

export async function handlePhotoUpload(
  ctx: ArchiveContext,
  req: IncomingMessage,
  res: ServerResponse,
  site: UploadSite,
  principal: Principal,
): Promise<void> {
  const form = await readForm(req);
  const fields = ZPhotoFields.safeParse(form.fields);
  if (!fields.success) {
    throw new AppError('BAD_REQUEST', fields.error.issues.map((i) => i.message).join('; '));
  }
  if (!form.file?.bytes.length)
    throw new AppError('BAD_REQUEST', 'The form has no "file" with the photo.');

  const f = fields.data;
  const { imageToOphthalmicPhotography } = await import('../dicom/encapsulate');
  const part10 = await imageToOphthalmicPhotography({
    bytes: form.file.bytes,
    contentType: form.file.contentType,
    patient: {
      patientID: f.patientID,
      issuerOfPatientID: f.issuerOfPatientID,
      patientName: f.patientName,
      birthDate: f.patientBirthDate,
      sex: f.patientSex,
    },
    laterality: f.laterality,
    studyInstanceUID: f.studyInstanceUID,
    accessionNumber: f.accessionNumber,
  });
  const stored = await storeInstance(ctx, { source: Readable.from([part10]), site });
  await audit(ctx.db, ctx.log, {
    action: 'UPLOAD',
    outcome: 'SUCCESS',
    principal,
    origin: originOf(req),
    siteId: site.id,
    patientId: stored.patientId,
    studyInstanceUID: stored.studyInstanceUID,
    resource: '/api/photos',
    detail: { sopInstanceUID: stored.sopInstanceUID },
  });
  sendJson(res, 201, {
    studyInstanceUID: stored.studyInstanceUID,
    seriesInstanceUID: stored.seriesInstanceUID,
    sopInstanceUID: stored.sopInstanceUID,
    sopClassUID: stored.sopClassUID,
  });
}
