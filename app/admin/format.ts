/** Times on admin pages: UTC, to the minute, the same for every viewer and in the CSV. */
export function formatTime(d: Date | null | undefined): string {
  if (!d) return '—';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
