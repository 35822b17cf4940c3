import { readFileSync } from 'node:fs';
import { PUBLISHED_EVENTS, PUBLISHED_REQUESTS } from '#lib/contracts';
import {
  buildAsyncApiDocument,
  replyMessageName,
  requestMessageName,
} from './asyncapi-document.js';
import { breakingChanges } from './asyncapi-breaking-changes.js';
import { ASYNCAPI_FILE, readSnapshots, renderAsyncApiYaml } from './asyncapi-files.js';
import { asyncApiDiagnostics } from './validate-asyncapi.js';

// The CI gate of the message contract (issue 8): the committed document is what libs/contracts
// generates, @asyncapi/parser accepts it, and it keeps every published version's promises.
describe('docs/contracts/asyncapi.yaml', () => {
  const document = buildAsyncApiDocument();

  it('is what npm run contracts:generate writes from libs/contracts today', async () => {
    const committed = readFileSync(ASYNCAPI_FILE, 'utf8');
    expect(committed).toBe(await renderAsyncApiYaml(document));
  });

  it('is a valid AsyncAPI document, without errors or warnings from @asyncapi/parser', async () => {
    await expect(asyncApiDiagnostics(readFileSync(ASYNCAPI_FILE, 'utf8'))).resolves.toEqual([]);
  });

  it('describes every published pattern and event', () => {
    const messages = Object.keys(document.components.messages);
    for (const pattern of Object.keys(PUBLISHED_REQUESTS)) {
      expect(messages).toEqual(
        expect.arrayContaining([requestMessageName(pattern), replyMessageName(pattern)]),
      );
    }
    expect(messages).toEqual(expect.arrayContaining(Object.keys(PUBLISHED_EVENTS)));
  });

  it('keeps the promises of every published version (docs/contracts/snapshots)', () => {
    const snapshots = readSnapshots();
    expect(snapshots.map(({ major }) => major)).toContain(1);
    for (const { major, snapshot } of snapshots) {
      expect({ major, problems: breakingChanges(snapshot, document) }).toEqual({
        major,
        problems: [],
      });
    }
  });
});
