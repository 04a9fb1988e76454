import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ZTimelineInput, type Eye, type Visit } from '@/server/archive/patient-timeline';
import { createCaller } from '@/server/trpc/router';
import styles from '../../studies/browse.module.css';
import {
  eyeLabel,
  firstValues,
  formatDate,
  formatName,
  viewerHref,
  withQuery,
  type PageParams,
} from '../../studies/format';
import { signedInContext } from '../../studies/signed-in';

type Params = Promise<{ id: string }>;

const EYE_TITLES: Record<Eye, string> = {
  OD: 'OD · right eye',
  OS: 'OS · left eye',
  unknown: 'Eye not recorded',
};

function thumbnailSrc(studyUID: string, seriesUID: string, sopUID: string): string {
  return `/dicomweb/studies/${studyUID}/series/${seriesUID}/instances/${sopUID}/thumbnail`;
}

function EyeColumn({ visit, eye }: { visit: Visit; eye: Eye }) {
  const group = visit.eyes[eye];
  const more = group.total - group.shown.length;
  return (
    <section className={styles.eye} data-eye={eye} aria-label={EYE_TITLES[eye]}>
      <h3>
        {EYE_TITLES[eye]} <span className={styles.none}>({group.total})</span>
      </h3>
      {group.total === 0 && <p className={styles.none}>No image</p>}
      <div className={styles.thumbs}>
        {group.shown.map((th, n) => {
          const what = `${th.modality ?? 'image'} ${th.instanceNumber ?? n + 1}`;
          const eyeText = th.imageLaterality ? ` (${eyeLabel(th.imageLaterality)})` : '';
          return (
            <Link
              key={th.sopInstanceUID}
              href={viewerHref(visit.studyInstanceUID)}
              prefetch={false}
              data-sop-instance-uid={th.sopInstanceUID}
              title={`${what}${eyeText}`}
            >
              {th.hasImage ? (
                // eslint-disable-next-line @next/next/no-img-element
                <img
                  src={thumbnailSrc(
                    visit.studyInstanceUID,
                    th.seriesInstanceUID,
                    th.sopInstanceUID,
                  )}
                  alt={`${EYE_TITLES[eye]}: ${what}`}
                  width={96}
                  height={96}
                  loading="lazy"
                />
              ) : (
                <span className={styles.noImage}>{th.modality ?? 'object'}</span>
              )}
            </Link>
          );
        })}
      </div>
      {more > 0 && <p className={styles.none}>and {more} more in the viewer</p>}
    </section>
  );
}

function VisitCard({ visit }: { visit: Visit }) {
  // OD and OS always, so the eyes line up from visit to visit; the third group when used.
  const eyes: Eye[] = visit.eyes.unknown.total ? ['OD', 'OS', 'unknown'] : ['OD', 'OS'];
  return (
    <article className={styles.visit} data-study-uid={visit.studyInstanceUID}>
      <header>
        <h2>{formatDate(visit.studyDate)}</h2>
        <span>{visit.modalities.join(', ') || '—'}</span>
        {visit.studyDescription && <em>{visit.studyDescription}</em>}
        {visit.site && <span className={styles.facts}>{visit.site.name}</span>}
        <span className={styles.facts}>{visit.numberOfInstances} image(s)</span>
        <Link className="button" href={viewerHref(visit.studyInstanceUID)} prefetch={false}>
          Open in viewer
        </Link>
      </header>
      <div className={styles.eyes}>
        {eyes.map((eye) => (
          <EyeColumn key={eye} visit={visit} eye={eye} />
        ))}
      </div>
    </article>
  );
}

export default async function PatientTimelinePage(props: {
  params: Params;
  searchParams: Promise<PageParams>;
}) {
  const { id } = await props.params;
  const query = firstValues(await props.searchParams);
  const path = withQuery(`/patients/${encodeURIComponent(id)}`, { page: query.page });
  const ctx = await signedInContext(path);

  const input = ZTimelineInput.safeParse({ patientId: id, page: query.page });
  if (!input.success) notFound();
  const timeline = await createCaller(ctx).browse.timeline(input.data);
  if (!timeline) notFound();
  const { patient } = timeline;

  return (
    <section data-testid="timeline" data-patient-id={patient.id}>
      <div className={styles.patient}>
        <h1>{formatName(patient.patientName)}</h1>
        <span className={styles.facts}>
          ID {patient.patientID} ({patient.issuerOfPatientID})
        </span>
        <span className={styles.facts}>born {formatDate(patient.patientBirthDate)}</span>
        {patient.patientSex && <span className={styles.facts}>sex {patient.patientSex}</span>}
      </div>
      {timeline.rows.length === 0 && (
        <p className="empty" data-testid="no-visits">
          {timeline.page > 1 ? 'No older visits.' : 'No visit of this patient has images yet.'}
        </p>
      )}
      {timeline.rows.map((visit) => (
        <VisitCard key={visit.studyInstanceUID} visit={visit} />
      ))}
      {(timeline.page > 1 || timeline.hasMore) && (
        <nav className="pager" aria-label="Visits">
          {timeline.page > 1 && (
            <Link
              prefetch={false}
              href={withQuery(`/patients/${patient.id}`, { page: timeline.page - 1 })}
            >
              ← Newer visits
            </Link>
          )}
          {timeline.hasMore && (
            <Link
              prefetch={false}
              href={withQuery(`/patients/${patient.id}`, { page: timeline.page + 1 })}
            >
              Older visits →
            </Link>
          )}
        </nav>
      )}
    </section>
  );
}
