/**
 * Checkpoints of an NSGA-II run: everything needed to continue it bit for bit (population
 * genomes, objectives, violations, rank and crowding, generation and evaluation counters, PRNG
 * state, reference point and hypervolume history). `encodeCheckpoint` packs a state into one
 * byte array (a JSON header then the typed arrays, 8-byte aligned) for a bytea column or a file.
 */
import type { Genome, IntegerStorage } from './problem.js';
import type { AlgorithmState } from './algorithm.js';
import type { FrontSelectionState } from './front-selection.js';

/**
 * `algorithm`, `referenceDirections` and `referencePointMemory` (AlgorithmState) are optional: a
 * state without them resumes as the run's options say (nsga2 by default); an nsga3 state without
 * its memory re-estimates the normalisation from the population, so only a state the solver
 * wrote (snapshot, result.state, encodeCheckpoint) resumes bit for bit. So are `frontSelection`,
 * `archiveCapacity` and `archive` (FrontSelectionState): a 'hypervolume' run without its archive
 * restarts the archive from the population.
 */
export interface Nsga2State<G extends Genome = Genome> extends AlgorithmState, FrontSelectionState<G> {
  version: 1;
  problem: string;
  nVar: number;
  nObj: number;
  nCon: number;
  populationSize: number;
  /** Generations completed (the initial population is generation 1). */
  generation: number;
  evaluations: number;
  /** populationSize × nVar, nObj, nCon, and per-row rank / crowding distance. */
  x: G;
  f: Float64Array;
  g: Float64Array;
  rank: Int32Array;
  crowding: Float64Array;
  rng: number[];
  referencePoint: number[] | null;
  hypervolumeHistory: number[];
}

const MAGIC = 0x4e534732; // "NSG2"

type Kind = 'float64' | IntegerStorage;

function kindOf(x: Genome): Kind {
  if (x instanceof Float64Array) return 'float64';
  if (x instanceof Uint8Array) return 'uint8';
  if (x instanceof Uint16Array) return 'uint16';
  return 'int32';
}

const CTOR = { float64: Float64Array, uint8: Uint8Array, uint16: Uint16Array, int32: Int32Array } as const;

export function encodeCheckpoint(state: Nsga2State): Uint8Array {
  const { x, f, g, rank, crowding, archive, ...rest } = state;
  const header = new TextEncoder().encode(JSON.stringify({ ...rest, genome: kindOf(x), ...(archive ? { archiveSize: archive.size } : {}) }));
  const arrays: ArrayBufferView[] = [x, f, g, rank, crowding];
  // The run archive's members follow (genomes of the population's type, objectives, constraints).
  if (archive) arrays.push(archive.x, archive.f, archive.g);
  const align = (n: number) => (n + 7) & ~7;
  let size = align(12 + header.length);
  const offsets: number[] = [];
  for (const a of arrays) {
    offsets.push(size);
    size = align(size + a.byteLength);
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  view.setUint32(8, arrays.length, true);
  out.set(header, 12);
  arrays.forEach((a, i) => out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offsets[i]));
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array): Nsga2State {
  // Copy to an aligned buffer: typed-array views need 8-byte aligned offsets.
  const buf = new Uint8Array(bytes.byteLength);
  buf.set(bytes);
  const view = new DataView(buf.buffer);
  if (bytes.byteLength < 12 || view.getUint32(0, true) !== MAGIC) throw new Error('decodeCheckpoint: not an NSGA-II checkpoint (bad magic number)');
  const headerLength = view.getUint32(4, true);
  const meta = JSON.parse(new TextDecoder().decode(buf.subarray(12, 12 + headerLength))) as Omit<Nsga2State, 'x' | 'f' | 'g' | 'rank' | 'crowding' | 'archive'> & { genome: Kind; archiveSize?: number };
  if (meta.version !== 1) throw new Error(`decodeCheckpoint: unsupported version ${String(meta.version)}`);
  const n = meta.populationSize;
  const lengths = [n * meta.nVar, n * meta.nObj, n * meta.nCon, n, n];
  const ctors: unknown[] = [CTOR[meta.genome], Float64Array, Float64Array, Int32Array, Float64Array];
  const a = meta.archiveSize;
  if (a !== undefined) {
    if (!(Number.isInteger(a) && a >= 0)) throw new Error(`decodeCheckpoint: bad archiveSize ${String(a)}`);
    lengths.push(a * meta.nVar, a * meta.nObj, a * meta.nCon);
    ctors.push(CTOR[meta.genome], Float64Array, Float64Array);
  }
  const align = (v: number) => (v + 7) & ~7;
  let offset = align(12 + headerLength);
  const arrays = lengths.map((len, i) => {
    const C = ctors[i] as Float64ArrayConstructor;
    const bytesNeeded = len * C.BYTES_PER_ELEMENT;
    if (offset + bytesNeeded > buf.byteLength) throw new Error('decodeCheckpoint: truncated checkpoint');
    const a = new C(buf.buffer, offset, len);
    offset = align(offset + bytesNeeded);
    return a;
  });
  const { genome: _genome, archiveSize, ...rest } = meta;
  // JSON has no NaN: the hypervolume history of a run with more than 3 objectives is NaN, stored as null.
  rest.hypervolumeHistory = rest.hypervolumeHistory.map((h) => (h === null ? Number.NaN : h));
  const archive = archiveSize === undefined ? {} : { archive: { size: archiveSize, x: arrays[5] as Genome, f: arrays[6], g: arrays[7] } };
  return { ...rest, x: arrays[0] as Genome, f: arrays[1], g: arrays[2], rank: arrays[3] as unknown as Int32Array, crowding: arrays[4], ...archive };
}

/** Throws when a checkpoint does not fit the problem it is resumed on. */
export function assertStateMatches(problem: { nVar: number; nObj: number; nCon: number }, s: Nsga2State): void {
  const mismatch = (field: string, a: unknown, b: unknown) => new Error(`resumeFrom: checkpoint ${field} ${String(a)} does not match the problem's ${String(b)}`);
  if (s.version !== 1) throw new Error(`resumeFrom: unsupported checkpoint version ${String(s.version)}`);
  if (s.nVar !== problem.nVar) throw mismatch('nVar', s.nVar, problem.nVar);
  if (s.nObj !== problem.nObj) throw mismatch('nObj', s.nObj, problem.nObj);
  if (s.nCon !== problem.nCon) throw mismatch('nCon', s.nCon, problem.nCon);
  if (s.x.length !== s.populationSize * s.nVar || s.f.length !== s.populationSize * s.nObj) throw new Error('resumeFrom: checkpoint arrays do not match its populationSize');
}
