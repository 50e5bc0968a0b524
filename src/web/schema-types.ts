/**
 * TypeScript types of the GraphQL schema for the web client (src/web/client/schema.ts), generated
 * from schema.graphql so the client's queries are typed with the API they talk to.
 * `npx tsx src/web/schema-types.ts` rewrites the file; `--check` exits 1 when it is out of date.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { GraphQLNamedType, GraphQLType } from 'graphql';

// The CommonJS graphql build, the same instance the rest of the service loads.
const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export const SCHEMA_SDL_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));
export const CLIENT_TYPES_FILE = fileURLToPath(new URL('./client/schema.ts', import.meta.url));

const SCALARS: Record<string, string> = {
  ID: 'string',
  String: 'string',
  Int: 'number',
  Float: 'number',
  Boolean: 'boolean',
  DateTime: 'string',
  JSON: 'unknown',
  File: 'File',
};

function typeRef(type: GraphQLType): string {
  if (graphql.isNonNullType(type)) return typeRef(type.ofType).replace(/ \| null$/, '');
  if (graphql.isListType(type)) {
    const inner = typeRef(type.ofType);
    return `Array<${inner}> | null`;
  }
  const name = (type as GraphQLNamedType).name;
  return `${graphql.isScalarType(type) ? (SCALARS[name] ?? 'unknown') : name} | null`;
}

const doc = (description: string | null | undefined, indent = '') =>
  description ? `${indent}/** ${description.replace(/\*\//g, '* /').replace(/\s*\n\s*/g, ' ')} */\n` : '';

export function clientTypes(sdl: string): string {
  const schema = graphql.buildSchema(sdl);
  const names = Object.keys(schema.getTypeMap())
    .filter((n) => !n.startsWith('__'))
    .sort();
  const out: string[] = [
    '/* Generated from schema.graphql by src/web/schema-types.ts: do not edit (npm run schema:print). */',
  ];
  for (const name of names) {
    const type = schema.getType(name)!;
    if (graphql.isScalarType(type)) continue;
    if (graphql.isEnumType(type)) {
      out.push(`${doc(type.description)}export type ${name} = ${type.getValues().map((v) => `'${v.name}'`).join(' | ')};`);
    } else if (graphql.isUnionType(type)) {
      out.push(`${doc(type.description)}export type ${name} = ${type.getTypes().map((t) => t.name).join(' | ')};`);
    } else if (graphql.isInputObjectType(type)) {
      const fields = Object.values(type.getFields()).map((f) => {
        const optional = !graphql.isNonNullType(f.type) || f.defaultValue !== undefined;
        return `${doc(f.description, '  ')}  ${f.name}${optional ? '?' : ''}: ${typeRef(f.type)};`;
      });
      out.push(`${doc(type.description)}export interface ${name} {\n${fields.join('\n')}\n}`);
    } else if (graphql.isObjectType(type) || graphql.isInterfaceType(type)) {
      const fields = Object.values(type.getFields()).map((f) => `${doc(f.description, '  ')}  ${f.name}: ${typeRef(f.type)};`);
      const typename = graphql.isObjectType(type) ? `  __typename?: '${name}';\n` : '';
      out.push(`${doc(type.description)}export interface ${name} {\n${typename}${fields.join('\n')}\n}`);
    }
  }
  return `${out.join('\n\n')}\n`;
}

export function writeClientTypes(check = false): boolean {
  const text = clientTypes(readFileSync(SCHEMA_SDL_FILE, 'utf8'));
  if (check) return existsSync(CLIENT_TYPES_FILE) && readFileSync(CLIENT_TYPES_FILE, 'utf8') === text;
  writeFileSync(CLIENT_TYPES_FILE, text);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) {
    if (!writeClientTypes(true)) {
      console.error('src/web/client/schema.ts is out of date: run `npx tsx src/web/schema-types.ts`');
      process.exitCode = 1;
    }
  } else {
    writeClientTypes();
    console.log(`wrote ${CLIENT_TYPES_FILE}`);
  }
}
