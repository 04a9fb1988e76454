import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { StudyViewer } from '@/app/viewer/StudyViewer';
import { ZLaunchInput, type Launch } from '@/server/archive/launch';
import { createCaller } from '@/server/trpc/router';
import styles from '../studies/browse.module.css';
import {
  firstValues,
  formatDate,
  formatName,
  timelineHref,
  withQuery,
  type PageParams,
} from '../studies/format';
import { signedInContext } from '../studies/signed-in';
import { ChoosePatient } from './choose-patient';

export const dynamic = 'force-dynamic';

type StudyLaunch = Extract<Launch, { kind: 'study' }>;

/** The launched study: who and when above the viewer, with the way to the patient's timeline. */
function LaunchedStudy({ study }: StudyLaunch) {
  return (
    <section data-testid="launched-study" data-study-uid={study.studyInstanceUID}>
      <div className={styles.launchBar}>
        <strong>{formatName(study.patient.patientName)}</strong>
        <span className={styles.facts}>
          ID {study.patient.patientID} ({study.patient.issuerOfPatientID})
        </span>
        <span>{formatDate(study.studyDate)}</span>
        <span>{study.modalities.join(', ')}</span>
        {study.studyDescription && <em>{study.studyDescription}</em>}
        <Link href={timelineHref(study.patient.id)} prefetch={false} data-testid="to-timeline">
          Patient timeline
        </Link>
        <Link href="/studies">All studies</Link>
      </div>
      <StudyViewer studyInstanceUID={study.studyInstanceUID} />
    </section>
  );
}

/**
 * The IHE Invoke Image Display entry point (server/archive/launch.ts decides what it opens):
 * `/view?studyUID=…`, or `/view?patientID=…&issuer=…` for the patient's latest visit. The
 * viewer then reads the study through DICOMweb with the session cookie, which checks again.
 * People not signed in sign in first and come back to the same URL.
 */
export default async function ViewPage({ searchParams }: { searchParams: Promise<PageParams> }) {
  const query = firstValues(await searchParams);
  const ctx = await signedInContext(withQuery('/view', query));

  const input = ZLaunchInput.safeParse(query);
  // Values too long to be a UID or an ID name nothing we hold.
  if (!input.success) notFound();
  const launch = await createCaller(ctx).browse.launch(input.data);

  switch (launch.kind) {
    case 'study':
      return <LaunchedStudy {...launch} />;
    case 'timeline':
      redirect(timelineHref(launch.patientId));
    case 'choose':
      return <ChoosePatient patientID={launch.patientID} patients={launch.patients} />;
    case 'not-found':
      notFound();
    case 'nothing-named':
      return (
        <section>
          <h1>Nothing to open</h1>
          <p>
            A viewer link names a study, <code>/view?studyUID=…</code>, or a patient,{' '}
            <code>/view?patientID=…&amp;issuer=…</code>. <Link href="/studies">Search studies</Link>
          </p>
        </section>
      );
    default: {
      const unhandled: never = launch;
      throw new Error(`unhandled launch ${JSON.stringify(unhandled)}`);
    }
  }
}
