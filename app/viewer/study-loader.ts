/**
 * A study as the viewer needs it, read from our own DICOMweb: the series (QIDO-RS, for their
 * order and descriptions) and every instance's metadata (one WADO-RS metadata request for the
 * whole study). Nothing here touches Cornerstone.
 */
import { num, str, TAG, type DicomJson } from '@/server/viewer/dicom-json';
import { paletteBulkDataUris, withPaletteValues } from '@/server/viewer/palette-lut';
import { sopClassName, viewerKind, type ViewerChoice } from '@/server/viewer/sop-classes';

export interface ViewerInstance {
  key: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  sopClassUID: string;
  sopClassName: string;
  modality: string;
  seriesDescription: string;
  seriesNumber: number;
  instanceNumber: number;
  laterality: string;
  metadata: DicomJson;
  choice: ViewerChoice;
  /** WADO-RS path of the instance on this origin. */
  url: string;
}

export class StudyLoadError extends Error {}

async function getJson(url: string): Promise<DicomJson[]> {
  const res = await fetch(url, { headers: { Accept: 'application/dicom+json' } });
  if (res.status === 401) throw new StudyLoadError('Your session has ended: sign in again.');
  if (res.status === 404 || res.status === 403) {
    throw new StudyLoadError('This study does not exist, or you may not see it.');
  }
  if (!res.ok) throw new StudyLoadError(`The archive answered ${res.status} for ${url}.`);
  if (res.status === 204) return [];
  return (await res.json()) as DicomJson[];
}

/** Loads started ahead of the viewer (StudyViewer), each handed to the first who asks. */
const early = new Map<string, { pending: Promise<ViewerInstance[]>; taken: boolean }>();

/**
 * Starts loading a study now, for a `takeStudy` of the same study later. Once per study and
 * page: a render that runs again asks for nothing more (every metadata read is audited).
 */
export function startLoadingStudy(studyInstanceUID: string): void {
  if (early.has(studyInstanceUID)) return;
  const pending = loadStudy(studyInstanceUID);
  // Its failure is reported to whoever takes it; unclaimed, it must not be an unhandled one.
  pending.catch(() => undefined);
  early.set(studyInstanceUID, { pending, taken: false });
}

/** The load `startLoadingStudy` began, for a look at it that leaves it to `takeStudy`. */
export function peekStudy(studyInstanceUID: string): Promise<ViewerInstance[]> | undefined {
  return early.get(studyInstanceUID)?.pending;
}

/**
 * The study, from the load `startLoadingStudy` began if nobody has taken it yet, else from a
 * new load (a viewer opened again reads the study afresh).
 */
export function takeStudy(studyInstanceUID: string): Promise<ViewerInstance[]> {
  const entry = early.get(studyInstanceUID);
  if (entry && !entry.taken) {
    entry.taken = true;
    return entry.pending;
  }
  return loadStudy(studyInstanceUID);
}

export async function loadStudy(studyInstanceUID: string): Promise<ViewerInstance[]> {
  const study = `/dicomweb/studies/${encodeURIComponent(studyInstanceUID)}`;
  const [series, metadata] = await Promise.all([
    getJson(`${study}/series`),
    getJson(`${study}/metadata`),
  ]);
  const seriesInfo = new Map(
    series.map((s) => [
      str(s, TAG.SeriesInstanceUID) ?? '',
      { number: num(s, TAG.SeriesNumber) ?? 0, description: str(s, TAG.SeriesDescription) ?? '' },
    ]),
  );

  const readable = await Promise.all(metadata.map(forTheLoader));
  const instances = readable.map(({ ds, problem }) =>
    toViewerInstance(
      ds,
      studyInstanceUID,
      seriesInfo.get(str(ds, TAG.SeriesInstanceUID) ?? ''),
      problem,
    ),
  );
  return instances.sort(
    (a, b) =>
      a.seriesNumber - b.seriesNumber ||
      a.seriesInstanceUID.localeCompare(b.seriesInstanceUID) ||
      a.instanceNumber - b.instanceNumber,
  );
}

/**
 * One instance as the viewer needs it, from its WADO-RS metadata. `problem`: why an image that
 * has pixels still cannot be shown; it is then not viewable, for that reason.
 */
export function toViewerInstance(
  ds: DicomJson,
  studyInstanceUID: string,
  info?: { number: number; description: string },
  problem?: string,
): ViewerInstance {
  const seriesUID = str(ds, TAG.SeriesInstanceUID) ?? '';
  const sopUID = str(ds, TAG.SOPInstanceUID) ?? '';
  const sopClassUID = str(ds, TAG.SOPClassUID) ?? '';
  const study = `/dicomweb/studies/${encodeURIComponent(studyInstanceUID)}`;
  return {
    key: sopUID,
    studyInstanceUID,
    seriesInstanceUID: seriesUID,
    sopInstanceUID: sopUID,
    sopClassUID,
    sopClassName: sopClassName(sopClassUID),
    modality: str(ds, TAG.Modality) ?? '',
    seriesDescription: info?.description || str(ds, TAG.SeriesDescription) || '',
    seriesNumber: info?.number ?? num(ds, TAG.SeriesNumber) ?? 0,
    instanceNumber: num(ds, TAG.InstanceNumber) ?? 0,
    laterality: str(ds, TAG.ImageLaterality) ?? '',
    metadata: ds,
    choice: problem ? { kind: 'none', frames: 0, reason: problem } : viewerKind(ds),
    url: `${study}/series/${seriesUID}/instances/${sopUID}`,
  };
}

/** One instance of another study (a prior), by its UIDs. */
export async function loadInstance(
  studyInstanceUID: string,
  seriesInstanceUID: string,
  sopInstanceUID: string,
): Promise<ViewerInstance> {
  const url =
    `/dicomweb/studies/${encodeURIComponent(studyInstanceUID)}` +
    `/series/${encodeURIComponent(seriesInstanceUID)}` +
    `/instances/${encodeURIComponent(sopInstanceUID)}/metadata`;
  const [ds] = await getJson(url);
  if (!ds) throw new StudyLoadError('The archive sent no metadata for this image.');
  const { ds: readable, problem } = await forTheLoader(ds);
  return toViewerInstance(readable, studyInstanceUID, undefined, problem);
}

/**
 * Metadata as Cornerstone's loader reads it: a palette image's tables fetched when they are
 * bulk data and written as plain values (server/viewer/palette-lut.ts). A palette that cannot
 * be read makes the image not viewable, with the reason, rather than a blank viewport.
 */
async function forTheLoader(ds: DicomJson): Promise<{ ds: DicomJson; problem?: string }> {
  const uris = paletteBulkDataUris(ds);
  try {
    const bulk = new Map<string, Uint8Array>();
    await Promise.all(
      uris.map(async (uri) => {
        const res = await fetch(uri, { headers: { Accept: 'application/octet-stream' } });
        if (!res.ok) throw new Error(`the archive answered ${res.status} for a palette table`);
        bulk.set(uri, new Uint8Array(await res.arrayBuffer()));
      }),
    );
    return { ds: withPaletteValues(ds, bulk) };
  } catch (e) {
    return { ds, problem: `This image cannot be shown: ${(e as Error).message}.` };
  }
}

/** What opens first: an OCT volume (its localizer comes with it), else the first image. */
export function firstToShow(instances: ViewerInstance[]): ViewerInstance | undefined {
  const rank = { oct: 0, photo: 1, cine: 2, pdf: 3, none: 4 } as const;
  return [...instances].sort((a, b) => rank[a.choice.kind] - rank[b.choice.kind])[0];
}
