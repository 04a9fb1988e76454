import Link from 'next/link';
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  auditFilterFromParams,
  FILTER_KEYS,
  type TAuditFilter,
} from '@/server/admin/audit-search';
import { createCaller } from '@/server/trpc/router';
import { formatTime } from '../format';
import { adminContext } from '../../session';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The query string of a filter (for paging and the export link), without blank fields. */
function queryOf(filter: TAuditFilter, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filter[k]) q.set(k, String(filter[k]));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await adminContext('/admin/audit');
  const params = await searchParams;
  const parsed = auditFilterFromParams(params);
  const filter: TAuditFilter = parsed.success ? parsed.data : {};
  const pageParam = Number(Array.isArray(params.page) ? params.page[0] : params.page);
  const page = Number.isInteger(pageParam) && pageParam >= 1 ? pageParam : 1;
  const result = parsed.success
    ? await createCaller(ctx).admin.audit.search({ filter, page })
    : { rows: [], page, hasMore: false };

  return (
    <section>
      <h1>Audit trail</h1>
      <form className="inline-form" method="get" action="/admin/audit" aria-label="Search">
        <label>
          Actor email
          <input name="actorEmail" defaultValue={filter.actorEmail ?? ''} />
        </label>
        <label>
          Action
          <select name="action" defaultValue={filter.action ?? ''}>
            <option value="">any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select name="outcome" defaultValue={filter.outcome ?? ''}>
            <option value="">any</option>
            {AUDIT_OUTCOMES.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <label>
          Patient ID
          <input name="patientId" defaultValue={filter.patientId ?? ''} />
        </label>
        <label>
          Study UID
          <input name="studyInstanceUID" defaultValue={filter.studyInstanceUID ?? ''} />
        </label>
        <label>
          From (UTC)
          <input name="from" type="date" defaultValue={filter.from ?? ''} />
        </label>
        <label>
          To (UTC)
          <input name="to" type="date" defaultValue={filter.to ?? ''} />
        </label>
        <button type="submit">Search</button>
        <a className="button secondary" href={`/admin/audit/export?${queryOf(filter)}`} download>
          Export CSV
        </a>
      </form>

      {!parsed.success && (
        <p className="error" role="alert">
          {parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}
        </p>
      )}

      {result.rows.length === 0 ? (
        <p className="empty">No events match.</p>
      ) : (
        <table className="grid" data-testid="audit-table">
          <thead>
            <tr>
              <th>At</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Outcome</th>
              <th>Patient</th>
              <th>Study UID</th>
              <th>Site</th>
              <th>IP</th>
              <th>Resource</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((e) => (
              <tr key={e.id}>
                <td>{formatTime(e.at)}</td>
                <td>
                  {e.actorEmail ?? '—'}
                  {e.actorTokenId && <small> (token)</small>}
                </td>
                <td>{e.action}</td>
                <td>{e.outcome}</td>
                <td>
                  <code>{e.patientId ?? ''}</code>
                </td>
                <td>
                  <code>{e.studyInstanceUID ?? ''}</code>
                </td>
                <td>{e.siteCode ?? ''}</td>
                <td>{e.ip ?? ''}</td>
                <td>{e.resource ?? ''}</td>
                <td>
                  <code>{e.detail ?? ''}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <nav className="pager" aria-label="Pages">
        {result.page > 1 && (
          <Link href={`/admin/audit?${queryOf(filter, { page: String(result.page - 1) })}`}>
            ← Newer
          </Link>
        )}
        <span>Page {result.page}</span>
        {result.hasMore && (
          <Link href={`/admin/audit?${queryOf(filter, { page: String(result.page + 1) })}`}>
            Older →
          </Link>
        )}
      </nav>
    </section>
  );
}
