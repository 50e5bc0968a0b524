/** Checks of a fleet's own fields. */
import { ValidationError } from './problem.js';

export const MAX_FLEET_NAME_LENGTH = 200;

/** The trimmed name; a ValidationError naming `field` when it is empty or longer than 200 characters. */
export function checkFleetName(name: string, field = 'name'): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_FLEET_NAME_LENGTH) {
    const message = `must be 1–${MAX_FLEET_NAME_LENGTH} characters`;
    throw new ValidationError(`${field}: ${message}`, [{ row: null, column: field, value: name, message }]);
  }
  return trimmed;
}
