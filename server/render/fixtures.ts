/**
 * Test-only: frame bytes, PixelInfo and reference pixels made by fixtures.py (pydicom, dcmtk)
 * from the shared edge-case files, so the render tests depend neither on the project's own
 * parser nor on this module's decoders for their expected values.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { PaletteLut, PixelInfo } from './types';

const here = dirname(fileURLToPath(import.meta.url));
export const EDGE_DIR = resolve(here, '../../../shared/data/dicom/edge');
const PYTHON = '/usr/bin/python3';

/** Why the fixture-based tests are skipped, or null when they can run. */
export const skipReason: string | null = (() => {
  if (!existsSync(EDGE_DIR)) return `shared test data absent (${EDGE_DIR})`;
  const python = spawnSync(PYTHON, ['-c', 'import pydicom, numpy, PIL'], { stdio: 'ignore' });
  if (python.status !== 0) return `${PYTHON} with pydicom, numpy and Pillow is not available`;
  for (const tool of ['dcmdjpeg', 'dcmdjpls', 'dcmj2pnm']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) {
      return `dcmtk's ${tool} is not on PATH`;
    }
  }
  return null;
})();

export interface Fixture {
  frame: Buffer;
  info: PixelInfo;
  transferSyntaxUID: string;
  /** Reference pixels, RGB interleaved for colour; null when no second decoder exists. */
  reference: ArrayLike<number> | null;
  shape: number[];
  /** dcmtk's 8-bit rendering (dcmj2pnm) for the cases fixtures.py lists in RENDERED. */
  rendered: Uint8Array | null;
}

interface ManifestEntry {
  transferSyntaxUID: string;
  attributes: Record<string, unknown> & { palette: RawPalette | null };
  reference: { dtype: string; shape: number[] } | null;
  rendered?: { shape: number[] };
}

type RawPalette = Record<
  'red' | 'green' | 'blue',
  { descriptor: [number, number, number]; data?: string; segmentedData?: string }
>;

/** Runs fixtures.py once for all the cases a test file needs. */
export function loadFixtures(names: string[]): Record<string, Fixture> {
  const out = mkdtempSync(join(tmpdir(), 'render-fixtures-'));
  execFileSync(PYTHON, [join(here, 'fixtures.py'), EDGE_DIR, out, ...names], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestEntry
  >;

  const fixtures: Record<string, Fixture> = {};
  for (const name of names) fixtures[name] = toFixture(out, name, manifest[name]);
  rmSync(out, { recursive: true, force: true });
  return fixtures;
}

function toFixture(dir: string, name: string, entry: ManifestEntry): Fixture {
  const refPath = join(dir, `${name}.ref`);
  return {
    frame: readFileSync(join(dir, `${name}.frame`)),
    info: toPixelInfo(entry.attributes),
    transferSyntaxUID: entry.transferSyntaxUID,
    reference: entry.reference ? typedArray(readFileSync(refPath), entry.reference.dtype) : null,
    shape: entry.reference?.shape ?? [],
    rendered: entry.rendered ? new Uint8Array(readFileSync(join(dir, `${name}.rendered`))) : null,
  };
}

function toPixelInfo(a: ManifestEntry['attributes']): PixelInfo {
  const first = (v: unknown) => (Array.isArray(v) ? (v[0] as number) : undefined);
  return {
    rows: a.rows as number,
    columns: a.columns as number,
    samplesPerPixel: a.samplesPerPixel as number,
    photometricInterpretation: a.photometricInterpretation as string,
    bitsAllocated: a.bitsAllocated as number,
    bitsStored: a.bitsStored as number,
    highBit: a.highBit as number,
    pixelRepresentation: a.pixelRepresentation as number,
    planarConfiguration: a.planarConfiguration as number,
    pixelDataVR: a.pixelDataVR as 'OB' | 'OW',
    windowCenter: (a.windowCenter as number[] | null) ?? undefined,
    windowWidth: (a.windowWidth as number[] | null) ?? undefined,
    rescaleSlope: first(a.rescaleSlope),
    rescaleIntercept: first(a.rescaleIntercept),
    palette: a.palette ? toPalette(a.palette) : undefined,
  };
}

function toPalette(raw: RawPalette): PaletteLut {
  const channel = (c: RawPalette['red']) => ({
    descriptor: c.descriptor,
    data: c.data ? Buffer.from(c.data, 'base64') : undefined,
    segmentedData: c.segmentedData ? Buffer.from(c.segmentedData, 'base64') : undefined,
  });
  return { red: channel(raw.red), green: channel(raw.green), blue: channel(raw.blue) };
}

function typedArray(bytes: Buffer, dtype: string): ArrayLike<number> {
  const copy = new Uint8Array(bytes).buffer;
  switch (dtype.slice(1)) {
    case 'u1':
      return new Uint8Array(copy);
    case 'i2':
      return new Int16Array(copy);
    case 'u2':
      return new Uint16Array(copy);
    default:
      throw new Error(`fixture dtype ${dtype} not handled`);
  }
}

/** Largest absolute difference between two sample arrays of the same length. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** The RGB triple at (row, column) of an interleaved RGB array `width` pixels wide. */
export function rgbAt(data: ArrayLike<number>, width: number, row: number, column: number) {
  const at = (row * width + column) * 3;
  return [data[at], data[at + 1], data[at + 2]];
}
