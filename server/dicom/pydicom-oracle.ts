/**
 * Test support: an independent reading of DICOM files by pydicom (Debian's /usr/bin/python3)
 * and DCMTK's dcmdump, so that tests compare this module's output with another toolkit's
 * instead of with values typed into the test. Used only by *.test.ts files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared test data (see its README.md); absent on machines without the data checkout. */
export const DATA_DIR = resolve(
  process.env.EYEPACS_TEST_DATA ?? join(import.meta.dirname, '../../../shared/data'),
);
export const DICOM_DIR = join(DATA_DIR, 'dicom');

/** Debian's python carries pydicom 2.3; the python first on PATH may not. */
const PYTHON = '/usr/bin/python3';

function probe(command: string, args: string[]): boolean {
  return spawnSync(command, args, { encoding: 'utf8' }).status === 0;
}

export const hasData = existsSync(DICOM_DIR);
export const hasPydicom = probe(PYTHON, ['-c', 'import pydicom']);
export const hasDcmdump = probe('dcmdump', ['--version']);

/** Why a data-driven test is skipped, or false when it can run. */
export function skipReason(options: { dcmdump?: boolean; data?: boolean } = {}): string | false {
  if (options.data !== false && !hasData) {
    return `test data not found at ${DICOM_DIR} (set EYEPACS_TEST_DATA)`;
  }
  if (!hasPydicom) return `pydicom not importable by ${PYTHON}`;
  if (options.dcmdump && !hasDcmdump) return 'dcmdump (DCMTK) not installed';
  return false;
}

/** Every .dcm file under the test data's dicom folder, as absolute paths. */
export function allDicomFiles(): string[] {
  if (!hasData) return [];
  return readdirSync(DICOM_DIR, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.dcm'))
    .sort()
    .map((name) => join(DICOM_DIR, name));
}

/** Runs a Python snippet that prints one JSON document; `argv` is sys.argv[1:]. */
export function python<T>(script: string, ...argv: string[]): T {
  const prelude = 'import sys, json, warnings\nwarnings.simplefilter("ignore")\n';
  const run = spawnSync(PYTHON, ['-c', prelude + script, ...argv], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** dcmdump's value of one top-level attribute (e.g. "0008,0018"), or null. */
export function dcmdumpValue(path: string, tag: string): string | null {
  const run = spawnSync('dcmdump', ['+P', tag, '-q', path], { encoding: 'utf8' });
  const line = run.stdout.split('\n').find((l) => l.startsWith(`(${tag.toLowerCase()})`));
  const match = line ? /\[(.*?)\]/.exec(line) : null;
  return match ? match[1] : null;
}

/** Reads a file as pydicom does, forcing the transfer syntax when the file does not say. */
export const READ_DATASET = `
import pydicom
from pydicom.uid import ImplicitVRLittleEndian, ExplicitVRBigEndian
def read(path, **kw):
    ds = pydicom.dcmread(path, force=True, **kw)
    if 'TransferSyntaxUID' not in ds.file_meta:
        head = open(path, 'rb').read(8)
        explicit = head[4:6].isalpha()
        ds.file_meta.TransferSyntaxUID = ExplicitVRBigEndian if head[0] == 0 and explicit \\
            else ImplicitVRLittleEndian
        ds.is_little_endian = ds.file_meta.TransferSyntaxUID != ExplicitVRBigEndian
        ds.is_implicit_VR = not explicit
    return ds
`;

/**
 * Files whose encapsulated Pixel Data ends with the file and no Sequence Delimitation Item:
 * pydicom drops the whole Pixel Data element, while the archive keeps it (every fragment is
 * whole) with a warning. pydicom is no reference for their pixel data.
 */
export const PYDICOM_DROPS_PIXEL_DATA = new Set([
  'pydicom-data_emri_small_jpeg_2k_lossless_too_short.dcm',
]);

export function pydicomSeesPixelData(path: string): boolean {
  return !PYDICOM_DROPS_PIXEL_DATA.has(path.split('/').pop() ?? '');
}
