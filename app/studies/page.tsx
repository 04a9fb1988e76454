import Link from 'next/link';
import { SEARCH_KEYS, ZStudySearch, type TStudySearch } from '@/server/archive/browse';
import { createCaller } from '@/server/trpc/router';
import {
  eyeLabel,
  firstValues,
  formatDate,
  formatName,
  timelineHref,
  viewerHref,
  withQuery,
  type PageParams,
} from './format';
import { signedInContext } from './signed-in';

type SearchParams = Promise<PageParams>;

/** The search's own query string, for paging links: the criteria without the page. */
function criteria(search: Partial<TStudySearch>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const k of SEARCH_KEYS) out[k] = search[k as keyof TStudySearch] as string | undefined;
  return out;
}

export default async function StudiesPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = firstValues(await searchParams);
  const ctx = await signedInContext(withQuery('/studies', raw));
  const api = createCaller(ctx);
  const parsed = ZStudySearch.safeParse(raw);
  const [options, result] = await Promise.all([
    api.browse.options(),
    parsed.success ? api.browse.search(parsed.data) : null,
  ]);
  const shown = parsed.success ? criteria(parsed.data) : raw;

  return (
    <section>
      <h1>Studies</h1>
      <form className="inline-form" method="get" action="/studies" aria-label="Search studies">
        <label>
          Patient name
          <input name="name" defaultValue={shown.name ?? ''} placeholder="müller jürgen, mul*" />
        </label>
        <label>
          Patient ID
          <input name="patientID" defaultValue={shown.patientID ?? ''} />
        </label>
        <label>
          Issuer
          <input name="issuer" defaultValue={shown.issuer ?? ''} />
        </label>
        <label>
          From
          <input name="from" type="date" defaultValue={shown.from ?? ''} />
        </label>
        <label>
          To
          <input name="to" type="date" defaultValue={shown.to ?? ''} />
        </label>
        <label>
          Site
          <select name="siteId" defaultValue={shown.siteId ?? ''}>
            <option value="">any</option>
            {options.sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} · {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Modality
          <select name="modality" defaultValue={shown.modality ?? ''}>
            <option value="">any</option>
            {options.modalities.map((m) => (
              <option key={m.code} value={m.code}>
                {m.code} · {m.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Search</button>
        <Link className="button secondary" href="/studies">
          Clear
        </Link>
      </form>

      {!parsed.success && (
        <ul className="error" role="alert">
          {parsed.error.issues.map((i) => (
            <li key={`${i.path.join('.')}:${i.message}`}>
              {i.path.join('.') || 'search'}: {i.message}
            </li>
          ))}
        </ul>
      )}
      {result && result.rows.length === 0 && (
        <p className="empty" data-testid="no-results">
          No study you can see matches this search.
        </p>
      )}
      {result && result.rows.length > 0 && (
        <table className="grid" data-testid="study-results">
          <thead>
            <tr>
              <th>Date</th>
              <th>Patient</th>
              <th>Patient ID</th>
              <th>Born</th>
              <th>Modalities</th>
              <th>Eyes</th>
              <th>Site</th>
              <th>Description</th>
              <th>Images</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {result.rows.map((s) => (
              <tr key={s.studyInstanceUID} data-study-uid={s.studyInstanceUID}>
                <td>{formatDate(s.studyDate)}</td>
                <td>
                  <Link
                    href={timelineHref(s.patient.id)}
                    prefetch={false}
                    data-testid="patient-link"
                  >
                    {formatName(s.patient.patientName)}
                  </Link>
                </td>
                <td>
                  {s.patient.patientID}
                  <span className="hint"> ({s.patient.issuerOfPatientID})</span>
                </td>
                <td>{formatDate(s.patient.patientBirthDate)}</td>
                <td>{s.modalities.join(', ') || '—'}</td>
                <td>{s.lateralities.map(eyeLabel).join(' / ') || '—'}</td>
                <td>{s.site?.code ?? '—'}</td>
                <td>{s.studyDescription ?? ''}</td>
                <td>{s.numberOfInstances}</td>
                <td>
                  <Link
                    href={viewerHref(s.studyInstanceUID)}
                    prefetch={false}
                    data-testid="open-study"
                  >
                    Open
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result && (result.page > 1 || result.hasMore) && (
        <nav className="pager" aria-label="Pages">
          {result.page > 1 && (
            <Link
              prefetch={false}
              href={withQuery('/studies', { ...shown, page: result.page - 1 })}
            >
              ← Newer
            </Link>
          )}
          <span>Page {result.page}</span>
          {result.hasMore && (
            <Link
              prefetch={false}
              href={withQuery('/studies', { ...shown, page: result.page + 1 })}
            >
              Older →
            </Link>
          )}
        </nav>
      )}
    </section>
  );
}
