/**
 * Independent readings of test files by pydicom (Debian's python3), for tests to compare with.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface PydicomFacts {
  path: string;
  SOPClassUID: string | null;
  SOPInstanceUID: string | null;
  StudyInstanceUID: string | null;
  SeriesInstanceUID: string | null;
  PatientName: string | null;
  PatientID: string | null;
  ImageLaterality: string | null;
  NumberOfFrames: number | null;
  pixelComplete: boolean;
  framesSha256: string[] | null;
  error?: string;
}

export function pydicomFacts(files: string[]): PydicomFacts[] {
  const script = path.join(import.meta.dirname, 'pydicom_facts.py');
  const out = execFileSync('/usr/bin/python3', [script, ...files], { maxBuffer: 64 << 20 });
  return JSON.parse(out.toString('utf8')) as PydicomFacts[];
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256')
    .update(typeof data === 'string' ? readFileSync(data) : data)
    .digest('hex');
}

/** dcmdump's reading of one attribute, e.g. dcmdumpValue(file, '0010,0020'). */
export function dcmdumpValue(file: string, tag: string): string | null {
  const out = execFileSync('dcmdump', ['+P', tag, '-q', file]).toString('latin1');
  const m = /\[(.*)\]/.exec(out);
  return m ? m[1] : null;
}
