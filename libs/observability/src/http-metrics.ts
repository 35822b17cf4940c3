import { Histogram, type Registry } from 'prom-client';

export const HTTP_REQUEST_DURATION_METRIC = 'http_request_duration_seconds';

/** The `route` label of requests that matched no route: one series, however many URLs are probed. */
export const UNMATCHED_ROUTE = 'unmatched';

type HttpLabel = 'method' | 'route' | 'status_code';

export interface CompletedHttpRequest {
  readonly method: string;
  /** The route template (`/v1/users/:id`), never the raw URL, or undefined when none matched. */
  readonly route: string | undefined;
  readonly statusCode: number;
  readonly durationSeconds: number;
}

/**
 * RED metrics of the HTTP server: one histogram gives the rate (count), errors (status_code) and
 * duration of every route. Labels are bounded so the series count cannot grow with traffic.
 */
export class HttpMetrics {
  private readonly duration: Histogram<HttpLabel>;

  constructor(registry: Registry) {
    // A second app in the same process (tests) reuses the series instead of failing to register.
    const existing = registry.getSingleMetric(HTTP_REQUEST_DURATION_METRIC);
    this.duration =
      (existing as Histogram<HttpLabel> | undefined) ??
      new Histogram<HttpLabel>({
        name: HTTP_REQUEST_DURATION_METRIC,
        help: 'Duration of HTTP requests in seconds, by method, route template and status code',
        labelNames: ['method', 'route', 'status_code'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      });
  }

  record(request: CompletedHttpRequest): void {
    this.duration.observe(
      {
        method: request.method,
        route: request.route ?? UNMATCHED_ROUTE,
        status_code: String(request.statusCode),
      },
      request.durationSeconds,
    );
  }
}
