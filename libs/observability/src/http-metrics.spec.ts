import { Registry } from 'prom-client';
import { HttpMetrics } from './http-metrics.js';

describe('HttpMetrics', () => {
  it('counts a request under its method, route template and status code', async () => {
    const registry = new Registry();
    const metrics = new HttpMetrics(registry);

    metrics.record({
      method: 'GET',
      route: '/v1/users/:id',
      statusCode: 200,
      durationSeconds: 0.02,
    });

    const text = await registry.metrics();
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/v1/users/:id",status_code="200"} 1',
    );
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.025",method="GET",route="/v1/users/:id",status_code="200"} 1',
    );
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.01",method="GET",route="/v1/users/:id",status_code="200"} 0',
    );
  });

  it('files every unmatched URL under one route label, so scans cannot multiply series', async () => {
    const registry = new Registry();
    const metrics = new HttpMetrics(registry);

    // e.g. /wp-admin, /.env and /v1/nope: the hook passes no route for any of them.
    for (let probe = 0; probe < 3; probe += 1) {
      metrics.record({ method: 'GET', route: undefined, statusCode: 404, durationSeconds: 0.001 });
    }

    const counts = (await registry.metrics())
      .split('\n')
      .filter((line) => line.startsWith('http_request_duration_seconds_count'));
    expect(counts).toEqual([
      'http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 3',
    ]);
  });

  it('shares one histogram when a second app in the process registers again', async () => {
    const registry = new Registry();
    new HttpMetrics(registry).record({
      method: 'GET',
      route: '/a',
      statusCode: 200,
      durationSeconds: 0.1,
    });

    new HttpMetrics(registry).record({
      method: 'GET',
      route: '/a',
      statusCode: 200,
      durationSeconds: 0.1,
    });

    expect(await registry.metrics()).toContain(
      'http_request_duration_seconds_count{method="GET",route="/a",status_code="200"} 2',
    );
  });
});
