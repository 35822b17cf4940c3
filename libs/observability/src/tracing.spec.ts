import { trace } from '@opentelemetry/api';
import { readConfiguration, serviceConfig, tracingConfig } from '#lib/config';
import { shutdownTracing, startTracing } from './tracing.js';

describe('startTracing', () => {
  it('installs no tracer when no OTLP endpoint is configured', async () => {
    const config = readConfiguration([serviceConfig, tracingConfig], {
      NODE_ENV: 'test',
      SERVICE_NAME: 'tracing-spec',
    });

    await startTracing(config);

    expect(trace.getTracer('tracing-spec').startSpan('probe').isRecording()).toBe(false);
    await expect(shutdownTracing()).resolves.toBeUndefined();
  });
});
