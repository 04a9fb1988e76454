import Link from 'next/link';
import { redirect } from 'next/navigation';
import { createCaller } from '@/server/trpc/router';
import { trpcContext } from '@/server/trpc/context';
import { timelineHref, viewerHref } from './studies/format';

export const dynamic = 'force-dynamic';

function formatDate(da: string | null): string {
  if (!da || da.length !== 8) return '—';
  return `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}`;
}

function formatName(pn: string | null): string {
  if (!pn) return '(no name)';
  return pn.split('=')[0].replace(/\^+/g, ' ').trim() || pn.split('=').find(Boolean) || '(no name)';
}

export default async function Home() {
  const ctx = await trpcContext();
  if (!ctx.principal) redirect('/signin');
  const studies = await createCaller(ctx).studies.list({ limit: 100, offset: 0 });
  return (
    <section>
      <h1>Studies</h1>
      {studies.length === 0 ? (
        <p className="empty" data-testid="no-studies">
          The archive is empty. Send images with STOW-RS to /dicomweb/studies, or run
          <code> npm run ingest -- PATH</code>.
        </p>
      ) : (
        <ul className="studies" data-testid="study-list">
          {studies.map((s) => (
            <li key={s.studyInstanceUID} data-study-uid={s.studyInstanceUID}>
              <Link href={viewerHref(s.studyInstanceUID)} prefetch={false}>
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img
                  src={`/dicomweb/studies/${s.studyInstanceUID}/thumbnail`}
                  alt={`Thumbnail of study ${formatDate(s.studyDate)}`}
                  width={128}
                  height={128}
                  loading="lazy"
                />
              </Link>
              <div className="meta">
                <strong>
                  <Link href={timelineHref(s.patientUuid)} prefetch={false}>
                    {formatName(s.patientName)}
                  </Link>
                </strong>
                <span>ID {s.patientID || '—'}</span>
                <span>{formatDate(s.studyDate)}</span>
                <span>{s.modalities.join(', ') || '—'}</span>
                <span>
                  {s.lateralities.length
                    ? s.lateralities
                        .map((l) => (l === 'R' ? 'OD' : l === 'L' ? 'OS' : l))
                        .join(' / ')
                    : ''}
                </span>
                <span>{s.numberOfInstances} image(s)</span>
                {s.studyDescription && <em>{s.studyDescription}</em>}
                <Link href={viewerHref(s.studyInstanceUID)} prefetch={false}>
                  Open in viewer
                </Link>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
