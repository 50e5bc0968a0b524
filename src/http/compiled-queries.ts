/**
 * Compiled execution of repeated queries (graphql-jit), a yoga plugin of src/server.ts.
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST, type DocumentNode, type ExecutionArgs, type ExecutionResult, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';

/**
 * Queries run compiled (graphql-jit): a document is turned once into a function that resolves and
 * completes its fields without graphql-js's generic walk (argument coercion, type checks and
 * field lookups per field and per row). A document is compiled the second time it executes, so
 * a stream of one-off documents costs no compilations; mutations and subscriptions run on the
 * standard executor. Compiled functions are kept per parsed document (yoga's parse cache), and
 * the plugin keys them by the document alone: a document with several operations, where the
 * operation name picks one, always runs on the standard executor.
 *
 * A compiled query whose leaves are all of the built-in scalars and enums also gets graphql-jit's
 * serialiser (fast-json-stringify over a JSON schema derived from the query: the same text as
 * `JSON.stringify`, several times faster); it serialises answers of data alone, and an answer with
 * errors or extensions goes to `JSON.stringify` (the derived schema does not describe those).
 * Documents that select a custom scalar (DateTime, JSON) are compiled without it.
 */
export function compiledQueries(): ReturnType<typeof useGraphQlJit>[] {
  /** Executions so far of a compilable document; -1: never compiled. */
  const seen = new WeakMap<DocumentNode, number>();
  const serialisable = new WeakMap<DocumentNode, boolean>();
  /** How this execution runs, decided once for both plugins below. */
  const decided = new WeakMap<object, 'executor' | 'compiled' | 'serialised'>();
  const decide = (args: ExecutionArgs): 'executor' | 'compiled' | 'serialised' => {
    let how = decided.get(args);
    if (how !== undefined) return how;
    let n = seen.get(args.document);
    if (n === undefined) {
      const operations = args.document.definitions.filter((d) => d.kind === 'OperationDefinition').length;
      n = operations === 1 && getOperationAST(args.document, args.operationName)?.operation === 'query' ? 0 : -1;
    }
    seen.set(args.document, n < 0 ? n : n + 1);
    if (n < 1) how = 'executor';
    else {
      let json = serialisable.get(args.document);
      if (json === undefined) serialisable.set(args.document, (json = onlyBuiltInLeaves(args.schema, args.document, args.operationName)));
      how = json ? 'serialised' : 'compiled';
    }
    decided.set(args, how);
    return how;
  };
  const onError = (result: { errors?: readonly { message: string }[] }) =>
    console.error(`[relife] graphql-jit could not compile a query: ${result.errors?.map((e) => e.message).join('; ')}`);
  const dataOnly = new WeakMap<(result: unknown) => string, (result: ExecutionResult) => string>();
  return [
    useGraphQlJit({}, { enableIf: (args) => decide(args) === 'compiled', onError }),
    useGraphQlJit({ customJSONSerializer: true }, { enableIf: (args) => decide(args) === 'serialised', onError }),
    {
      onExecute({ args }) {
        if (decided.get(args) !== 'serialised') return;
        return {
          onExecuteDone({ result }) {
            const r = result as ExecutionResult & { stringify?: (result: unknown) => string };
            const fast = r.stringify;
            if (!fast || fast === JSON.stringify) return;
            let guarded = dataOnly.get(fast);
            if (!guarded) dataOnly.set(fast, (guarded = (x) => (x.errors === undefined && x.extensions === undefined ? fast(x) : JSON.stringify(x))));
            r.stringify = guarded as never;
          },
        };
      },
    },
  ];
}

const JSON_SCHEMA_SCALARS = new Set(['Int', 'Float', 'String', 'Boolean', 'ID']);

interface SchemaType {
  name: string;
  ofType?: SchemaType;
  getFields?: () => Record<string, { type: SchemaType }>;
  getValues?: () => unknown;
  getTypes?: () => unknown;
}

/**
 * True when every leaf the operation selects is a built-in scalar or an enum. Walks the types by
 * their shape, not with graphql's `instanceof` helpers: under a test runner the schema may come
 * from graphql's other build (CommonJS beside ESM).
 */
function onlyBuiltInLeaves(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): boolean {
  const op = getOperationAST(document, operationName);
  const root = schema.getQueryType() as unknown as SchemaType | null | undefined;
  if (!op || !root) return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === 'FragmentDefinition') fragments.set(d.name.value, d);
  const typeNamed = (name: string) => schema.getType(name) as unknown as SchemaType | undefined;
  const walk = (set: SelectionSetNode, parent: SchemaType, depth: number): boolean => {
    if (depth > 64) return false;
    for (const s of set.selections) {
      if (s.kind === 'Field') {
        if (s.name.value === '__typename') continue;
        const field = parent.getFields?.()[s.name.value];
        if (!field) return false;
        let type = field.type;
        while (type.ofType) type = type.ofType;
        if (s.selectionSet) {
          if (!walk(s.selectionSet, type, depth + 1)) return false;
        } else if (!type.getValues && !JSON_SCHEMA_SCALARS.has(type.name)) return false;
      } else {
        const fragment = s.kind === 'InlineFragment' ? s : fragments.get(s.name.value);
        if (!fragment) return false;
        const on = fragment.typeCondition ? typeNamed(fragment.typeCondition.name.value) : parent;
        if (!on || !walk(fragment.selectionSet, on, depth + 1)) return false;
      }
    }
    return true;
  };
  return walk(op.selectionSet, root, 0);
}
