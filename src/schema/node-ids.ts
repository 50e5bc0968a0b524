/**
 * The schema's node IDs: a global ID given as an argument read back to its database id (a
 * ValidationError naming the field, or simply "not found"), and loaded nodes answered in the order
 * of their ids. Encoding and the UUID pattern live in src/ids.ts.
 */
import { decodeGlobalId, isUuid } from '../ids.js';
import { NotFoundError, ValidationError } from './builder.js';

/** Rows in the order of `ids`, an Error for each id that was not found (dataloader contract). */
export function inIdOrder<T extends { id: string }>(ids: readonly string[], rows: readonly T[], typename: string): (T | Error)[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? new NotFoundError(typename, id));
}

/**
 * The database id inside a global ID of the expected type. A malformed ID or one of another
 * type is a ValidationError naming the input field.
 */
export function parseGlobalId(globalId: string, typename: string, field: string): string {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalId(globalId);
  } catch {
    throw new ValidationError(`${field}: not a valid ID`, [{ row: null, column: field, message: `"${globalId}" is not a valid ${typename} ID` }]);
  }
  if (decoded.typename !== typename || !isUuid(decoded.id)) {
    throw new ValidationError(`${field}: not a ${typename} ID`, [
      { row: null, column: field, message: `"${globalId}" is not a ${typename} ID` },
    ]);
  }
  return decoded.id;
}

/** Like parseGlobalId, but a wrong ID is simply "not found" (for queries such as `fleet(id)`). */
export function tryParseGlobalId(globalId: string, typename: string): string | null {
  try {
    const d = decodeGlobalId(globalId);
    return d.typename === typename && isUuid(d.id) ? d.id : null;
  } catch {
    return null;
  }
}
