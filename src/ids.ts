/**
 * Identifiers, in one place for every layer: database ids are UUIDs; the API's global IDs are
 * base64url("Typename:uuid"), so they can sit in URL paths (/fleets/{id}/modules.csv) without
 * escaping. Decoding also accepts standard base64.
 */

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

export function encodeGlobalId(typename: string, id: string): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64url');
}

export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new TypeError(`invalid global ID "${globalId}"`);
  return { typename: text.slice(0, colon), id: text.slice(colon + 1) };
}

/** The database id in a global ID of the expected type (a UUID), or null. */
export function idOfType(globalId: string, typename: string): string | null {
  try {
    const d = decodeGlobalId(globalId);
    return d.typename === typename && isUuid(d.id) ? d.id : null;
  } catch {
    return null;
  }
}
