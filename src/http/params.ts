/** Path parameters that name objects: a global ID of the expected type, or the raw UUID. */
import { idOfType, isUuid } from '../ids.js';
import { HttpError } from './errors.js';

/** The UUID a path parameter names; 404 (never "forbidden" or "bad request") when it names none. */
export function uuidFromParam(param: string, typename: string): string {
  const id = idOfType(param, typename) ?? param;
  if (!isUuid(id)) throw new HttpError(404, `${typename} ${param} not found`);
  return id;
}
