/**
 * Checkpoints travel through a jsonb column: typed arrays become base64 of their bytes (tagged
 * with their element type), the scalars stay plain JSON.
 */
import type { AllocationCheckpoint } from '../planning/allocation-types.js';

const ARRAY_TYPES = {
  Uint8Array,
  Int8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float64Array,
} as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;

interface StoredArray {
  type: ArrayTypeName;
  base64: string;
}

export interface StoredCheckpoint {
  format: 1;
  generation: number;
  evaluations: number;
  elapsedSeconds: number;
  population: number;
  nModules: number;
  seed: number;
  genes: StoredArray;
  rngState: StoredArray;
  crowding?: StoredArray;
  /** The run's archive of non-dominated plans, rows of nModules genes (see AllocationCheckpoint). */
  archiveGenes?: StoredArray;
  /** Survival of the run and NSGA-III's normalisation memory (plain JSON numbers). */
  algorithm?: 'nsga2' | 'nsga3';
  referencePointMemory?: AllocationCheckpoint['referencePointMemory'];
}

function encodeArray(view: ArrayBufferView): StoredArray {
  const type = view.constructor.name as ArrayTypeName;
  if (!(type in ARRAY_TYPES)) throw new Error(`checkpoint: cannot store a ${type}`);
  return { type, base64: Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64') };
}

function decodeArray(stored: StoredArray | undefined, field: string) {
  if (!stored || typeof stored.base64 !== 'string' || !(stored.type in ARRAY_TYPES)) {
    throw new Error(`checkpoint ${field}: missing or of unknown type`);
  }
  const Ctor = ARRAY_TYPES[stored.type];
  const bytes = Buffer.from(stored.base64, 'base64');
  if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) {
    throw new Error(`checkpoint ${field}: ${bytes.byteLength} bytes is not a whole number of ${stored.type} elements`);
  }
  // A fresh, aligned buffer: Buffer.from may hand out a slice of a shared pool.
  const out = new Ctor(bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * PostgreSQL refuses a jsonb value past 255 MB (268,435,455 bytes); keep a margin for the rest.
 * Base64 takes 4 bytes per 3.
 */
export const CHECKPOINT_MAX_BASE64_BYTES = 240 * 2 ** 20;

/**
 * The archive is left out when population and archive together would not fit in one jsonb value
 * (only fleets near a million modules): the run then resumes without it, valid but no longer
 * bit-identical to an uninterrupted one (see AllocationCheckpoint.archiveGenes).
 */
export function encodeCheckpoint(c: AllocationCheckpoint, maxBase64Bytes = CHECKPOINT_MAX_BASE64_BYTES): StoredCheckpoint {
  const base64Bytes = (n: number) => 4 * Math.ceil(n / 3);
  const keepArchive = c.archiveGenes !== undefined && base64Bytes(c.genes.byteLength) + base64Bytes(c.archiveGenes.byteLength) <= maxBase64Bytes;
  return {
    format: 1,
    generation: c.generation,
    evaluations: c.evaluations,
    elapsedSeconds: c.elapsedSeconds,
    population: c.population,
    nModules: c.nModules,
    seed: c.seed,
    genes: encodeArray(c.genes),
    rngState: encodeArray(c.rngState),
    ...(c.crowding ? { crowding: encodeArray(c.crowding) } : {}),
    ...(keepArchive ? { archiveGenes: encodeArray(c.archiveGenes!) } : {}),
    ...(c.algorithm ? { algorithm: c.algorithm } : {}),
    ...(c.referencePointMemory !== undefined ? { referencePointMemory: c.referencePointMemory } : {}),
  };
}

export function decodeCheckpoint(stored: unknown): AllocationCheckpoint {
  const s = stored as Partial<StoredCheckpoint> | null;
  if (!s || s.format !== 1) throw new Error('checkpoint: unknown format');
  const genes = decodeArray(s.genes, 'genes');
  const rngState = decodeArray(s.rngState, 'rngState');
  const population = Number(s.population);
  const nModules = Number(s.nModules);
  if (genes.length !== population * nModules) {
    throw new Error(`checkpoint: ${genes.length} genes, expected population ${population} × modules ${nModules}`);
  }
  const crowding = s.crowding ? (decodeArray(s.crowding, 'crowding') as Float64Array) : undefined;
  if (crowding && (!(crowding instanceof Float64Array) || crowding.length !== population)) {
    throw new Error(`checkpoint crowding: ${crowding.length} ${s.crowding!.type} values, expected ${population} Float64Array values`);
  }
  const archiveGenes = s.archiveGenes ? decodeArray(s.archiveGenes, 'archiveGenes') : undefined;
  if (archiveGenes && (!(archiveGenes instanceof Uint8Array) || archiveGenes.length % nModules !== 0)) {
    throw new Error(`checkpoint archiveGenes: ${archiveGenes.length} ${s.archiveGenes!.type} values, expected Uint8Array rows of ${nModules} modules`);
  }
  return {
    generation: Number(s.generation),
    evaluations: Number(s.evaluations),
    elapsedSeconds: Number(s.elapsedSeconds),
    population,
    nModules,
    seed: Number(s.seed),
    genes: genes as AllocationCheckpoint['genes'],
    rngState: rngState as AllocationCheckpoint['rngState'],
    ...(crowding ? { crowding } : {}),
    ...(archiveGenes ? { archiveGenes: archiveGenes as Uint8Array } : {}),
    ...(s.algorithm === 'nsga2' || s.algorithm === 'nsga3' ? { algorithm: s.algorithm } : {}),
    ...(s.referencePointMemory !== undefined ? { referencePointMemory: s.referencePointMemory } : {}),
  };
}
