/** Expected failures of a service call that every face (GraphQL, CLI, HTTP) reports as such. */

/** A referenced object does not exist (or is not visible to the caller). */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(
    readonly typename: string,
    readonly id: string,
  ) {
    super(`${typename} ${id} not found`);
  }
}

/** The request conflicts with stored state (duplicate name, object in use…). */
export class ConflictError extends Error {
  override name = 'ConflictError';
}
