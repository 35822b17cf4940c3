import { createRequire } from 'node:module';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import {
  type Configuration,
  ConfigValidationError,
  type Environment,
  readConfiguration,
  ServiceConfig,
  serviceConfig,
  TracingConfig,
  tracingConfig,
} from '#lib/config';
import type { IncomingMessage } from 'node:http';

let sdk: NodeSDK | undefined;

// Probes and scrapes arrive every few seconds on every replica; as traces they would be noise.
const isProbeOrScrape = (request: IncomingMessage): boolean => {
  const url = request.url ?? '';
  return url.startsWith('/health/') || url === '/metrics' || url.startsWith('/metrics?');
};

// OTLP/HTTP: the endpoint is a base URL to which the signal's path is appended.
const tracesUrl = (endpoint: string): string => `${endpoint.replace(/\/+$/, '')}/v1/traces`;

/**
 * Starts OpenTelemetry tracing (HTTP, pg, ioredis; W3C traceparent propagation; OTLP/HTTP export)
 * when `OTEL_EXPORTER_OTLP_ENDPOINT` is configured. Call it before the app module is imported:
 * instrumentations patch the drivers as they load. Without an endpoint nothing is loaded at all.
 */
export async function startTracing(config: Configuration): Promise<void> {
  const endpoint = config.get(TracingConfig).otlpEndpoint;
  if (endpoint === undefined || sdk !== undefined) return;

  const [
    { NodeSDK },
    { OTLPTraceExporter },
    { HttpInstrumentation },
    { PgInstrumentation },
    { IORedisInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);

  sdk = new NodeSDK({
    serviceName: config.get(ServiceConfig).name,
    traceExporter: new OTLPTraceExporter({ url: tracesUrl(endpoint) }),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: isProbeOrScrape }),
      // Only queries made on behalf of a traced request: pool housekeeping would be orphan traces.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
    // Traces only: metrics are scraped by Prometheus and logs go to stdout.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();

  patchModulesLoadedBeforeTracing();
}

/**
 * For entry points, before the app module is imported: starts tracing from the environment's
 * service and tracing sections. When one of their variables is bad it starts nothing; the app's
 * configuration check after the import then refuses to start, naming it with every other bad one.
 */
export async function startTracingIfConfigured(
  environment: Environment = process.env,
): Promise<void> {
  let config: Configuration;
  try {
    config = readConfiguration([serviceConfig, tracingConfig], environment);
  } catch (error) {
    if (error instanceof ConfigValidationError) return;
    throw error;
  }
  await startTracing(config);
}

/**
 * The instrumentations patch a module when CommonJS `require` loads it after `sdk.start()`. An ESM
 * `import` bypasses that hook, and a module required earlier (Node's `http`, loaded by anything
 * that imported this library) is never required again. Their patches change the shared module
 * objects in place, so requiring each one here, once, instruments it however the app loads it.
 */
function patchModulesLoadedBeforeTracing(): void {
  const require = createRequire(import.meta.url);
  for (const name of ['http', 'https', 'pg', 'ioredis']) require(name);
}

/** Flushes buffered spans and stops tracing; a no-op when tracing never started. */
export async function shutdownTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
