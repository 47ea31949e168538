// How the gateway's responses are serialized: Fastify compiles one fast-json-stringify function
// per response of every route when the gateway starts. Fastify hands each compilation every shared
// schema (app.addSchema), and fast-json-stringify checks every one of them again each time: with
// about 170 responses and 56 shared schemas that was 5–7 s of CPU before the gateway could serve,
// in every pod start and every test that starts a gateway. Each compilation now gets only the
// shared schemas its response refers to; the functions compiled are the same.
import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

type Schemas = Record<string, unknown>;

/** The shared schemas `schema` refers to (`Problem#`, `Problem#/properties/errors`), and those they refer to. */
export function referencedSchemas(schema: unknown, shared: Schemas): Schemas {
  const found: Schemas = {};
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key !== '$ref' || typeof value !== 'string') {
        visit(value);
        continue;
      }
      const id = value.split('#')[0]!;
      if (id && !(id in found) && id in shared) {
        found[id] = shared[id];
        visit(shared[id]);
      }
    }
  };
  visit(schema);
  return found;
}

/** Fastify's `compilersFactory.buildSerializer`: its own factory, given only what each response uses. */
export const buildSerializer: SerializerFactory = (shared, options) => {
  const compileWith = SerializerSelector();
  return (route) => compileWith(referencedSchemas(route.schema, (shared ?? {}) as Schemas), options)(route);
};
