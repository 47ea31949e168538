// The web app's API types are generated from the committed gateway/openapi.json: it must say what
// the routes really declare, or the app would be typed against an API that no longer exists.
import { readFile } from 'node:fs/promises';
import { openApiDocument } from '@portico/gateway';
import { describe, expect, it } from 'vitest';

describe('the committed OpenAPI document', () => {
  it('equals a fresh dump of the gateway’s routes (npm run openapi -w @portico/gateway rewrites it)', async () => {
    const committed = JSON.parse(await readFile(new URL('../openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(await openApiDocument());
  });
});
