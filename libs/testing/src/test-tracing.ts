import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * An OpenTelemetry SDK for unit specs: spans are created, sampled and propagated (W3C
 * traceparent) as in a traced app, and exported nowhere. Start it before the code under test
 * runs; shut it down after the spec.
 */
export function testTracing(): NodeSDK {
  return new NodeSDK({
    instrumentations: [],
    // Given explicitly, so the SDK configures no exporter from the environment.
    spanProcessors: [
      {
        onStart: () => undefined,
        onEnd: () => undefined,
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  });
}
