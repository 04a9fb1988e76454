/**
 * Search keys for person names: lower case, accents removed (NFD, then combining marks
 * dropped), so that "JÉRÔME" finds "Jérôme". Non-Latin scripts pass through unchanged apart
 * from case folding.
 */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('und');
}

/**
 * Turns a DICOM wildcard match value (PS3.4 C.2.2.2.4: "*" any run, "?" one character) into
 * a SQL LIKE pattern on the search key, escaping LIKE's own metacharacters.
 */
export function wildcardToLike(value: string): string {
  return searchKey(value)
    .replace(/[\\%_]/g, (c) => `\\${c}`)
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}

export function hasWildcard(value: string): boolean {
  return /[*?]/.test(value);
}
