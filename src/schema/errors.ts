/** The error side of mutation results: an `Error` interface and the typed errors clients match. */
import { builder, ConflictError, NotFoundError, ValidationError, type Problem } from './builder.js';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'An expected failure of a mutation; match the concrete types for details.',
  fields: (t) => ({
    message: t.exposeString('message'),
  }),
});

export const ProblemRef = builder.objectRef<Problem>('Problem').implement({
  description: 'One problem with an input: CSV row (1-based, the header is row 1) and column, or the input field.',
  fields: (t) => ({
    row: t.exposeInt('row', { nullable: true }),
    column: t.exposeString('column', { nullable: true }),
    value: t.string({ nullable: true, description: 'The offending value as given', resolve: (p) => p.value ?? null }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  description: 'The input was rejected; every problem found is listed, nothing was written.',
  fields: (t) => ({
    problems: t.field({ type: [ProblemRef], resolve: (e) => e.problems }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    id: t.exposeString('id'),
    typename: t.exposeString('typename'),
  }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

/** The error types every mutation in this API can return. */
export const MUTATION_ERRORS = [ValidationError, NotFoundError, ConflictError];
