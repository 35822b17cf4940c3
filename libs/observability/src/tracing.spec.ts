import { trace } from '@opentelemetry/api';
import { loadConfig } from '#lib/config';
import { testKeyPair } from '../../../test/support/test-environment.js';
import { shutdownTracing, startTracing } from './tracing.js';

describe('startTracing', () => {
  it('installs no tracer when no OTLP endpoint is configured', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      SERVICE_NAME: 'tracing-spec',
      JWT_PUBLIC_KEY: testKeyPair().publicKeyPem,
    });

    await startTracing(config);

    expect(trace.getTracer('tracing-spec').startSpan('probe').isRecording()).toBe(false);
    await expect(shutdownTracing()).resolves.toBeUndefined();
  });
});
