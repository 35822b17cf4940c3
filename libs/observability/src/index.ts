export { attachObservability } from './attach-observability.js';
export { LIVENESS_ROUTE } from './http-observability.hooks.js';
export { HTTP_REQUEST_DURATION_METRIC, HttpMetrics, UNMATCHED_ROUTE } from './http-metrics.js';
export { ObservabilityModule } from './observability.module.js';
export { redactSecrets } from './redaction.js';
export {
  REQUEST_ID_HEADER,
  REQUEST_ID_LOG_KEY,
  type RequestIdAdapterOptions,
  requestIdAdapterOptions,
  resolveRequestId,
} from './request-id.js';
export { shutdownTracing, startTracing, startTracingIfConfigured } from './tracing.js';
