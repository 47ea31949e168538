// The web app's API types are what the gateway's OpenAPI document says today: regenerating them
// (openapi-typescript, then Prettier) leaves no difference, so a route whose schema changed
// cannot go unnoticed by the screens that call it.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedTypes, typesPath } from '../scripts/api-types.mjs';

describe('the web app’s API types', () => {
  it('are what the gateway’s OpenAPI document gives: regenerating them changes nothing', async () => {
    const committed = await readFile(typesPath, 'utf8');
    const regenerated = await generatedTypes();
    expect(committed === regenerated, 'run `npm run api-types -w @portico/web` and commit src/app/api-types.ts').toBe(true);
  });
});
