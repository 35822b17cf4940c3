import { type RunningApp, startApp } from '../support/app-process.js';

const DOCUMENTATION_PATHS = ['/docs', '/docs/', '/docs/openapi.json', '/docs/openapi.yaml'];

describe('OpenAPI documentation in production', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ NODE_ENV: 'production' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it.each(DOCUMENTATION_PATHS)('does not serve %s', async (path) => {
    const response = await fetch(`${app.baseUrl}${path}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.text()).not.toMatch(/swagger|openapi":/i);
  });

  it('still serves the API itself', async () => {
    expect((await fetch(`${app.baseUrl}/v1/products`)).status).toBe(200);
  });
});
