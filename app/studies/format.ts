/**
 * How the browser pages write DICOM values for people: dates, person names, eyes. Shared by the
 * study search, the patient timeline and the viewer launch page.
 */

/** DA "20240601" as "2024-06-01"; "—" when absent or malformed. */
export function formatDate(da: string | null | undefined): string {
  if (!da || !/^\d{8}$/.test(da)) return '—';
  return `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}`;
}

/**
 * PN "Family^Given^Middle^Prefix^Suffix=Ideographic=Phonetic" as "Family, Given Middle": the
 * alphabetic group when there is one, else the first group present.
 */
export function formatName(pn: string | null | undefined): string {
  const group = pn?.split('=').find((g) => g.replace(/\^/g, '').trim());
  if (!group) return '(no name)';
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = group.split('^');
  const rest = [prefix, given, middle, suffix].filter(Boolean).join(' ');
  return [family, rest].filter(Boolean).join(', ');
}

/** ImageLaterality (0020,0062) as clinicians say it. */
export function eyeLabel(laterality: string): string {
  switch (laterality) {
    case 'R':
      return 'OD';
    case 'L':
      return 'OS';
    case 'B':
      return 'OU';
    default:
      return laterality;
  }
}

// Links to the timeline and the viewer are rendered with prefetch={false}: loading either page
// audits a look at the patient, and a prefetch is nobody looking.

/** The launch address of one study (IHE Invoke Image Display). */
export function viewerHref(studyInstanceUID: string): string {
  return `/view?studyUID=${encodeURIComponent(studyInstanceUID)}`;
}

export function timelineHref(patientId: string): string {
  return `/patients/${patientId}`;
}

/** Query parameters as Next.js hands them to a page: the first value of each. */
export type PageParams = Record<string, string | string[] | undefined>;

export function firstValues(params: PageParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (value !== undefined) out[k] = value;
  }
  return out;
}

/** A path with the given query parameters, blank ones left out. */
export function withQuery(path: string, params: Record<string, string | number | undefined>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
