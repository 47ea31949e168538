// Generates src/app/api-types.ts, the TypeScript types of the gateway's API, from the gateway's
// OpenAPI document (gateway/openapi.json, written by `npm run openapi -w @portico/gateway`) with
// openapi-typescript, formatted by the repository's Prettier settings so the file is stable.
// `node scripts/api-types.mjs` writes it; `--check` fails when the committed file is not what the
// document gives (gateway/web/test/api-types.test.ts runs the same comparison).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';

const web = join(import.meta.dirname, '..');
export const documentPath = join(web, '..', 'openapi.json');
export const typesPath = join(web, 'src', 'app', 'api-types.ts');

const header = `// Generated from gateway/openapi.json by gateway/web/scripts/api-types.mjs (openapi-typescript).
// Do not edit: change the gateway's route schemas, regenerate the document, then run
// \`npm run api-types -w @portico/web\`.
`;

/** The types file as the current document gives it. */
export async function generatedTypes() {
  const document = JSON.parse(await readFile(documentPath, 'utf8'));
  const source = header + astToString(await openapiTS(document, { exportType: true, rootTypes: false }));
  const options = (await prettier.resolveConfig(typesPath)) ?? {};
  return prettier.format(source, { ...options, filepath: typesPath });
}

if (import.meta.main ?? process.argv[1] === import.meta.filename) {
  const wanted = await generatedTypes();
  if (process.argv.includes('--check')) {
    const committed = await readFile(typesPath, 'utf8').catch(() => '');
    if (committed !== wanted) {
      console.error(`${typesPath} is not what gateway/openapi.json gives: run npm run api-types -w @portico/web`);
      process.exit(1);
    }
  } else {
    await writeFile(typesPath, wanted);
    console.log(`wrote ${typesPath}`);
  }
}
