import { Transform } from 'class-transformer';
import { IsOptional, IsUrl } from 'class-validator';
import { defineConfigSection } from '../config-section.js';
import { emptyToUndefined } from '../environment-transforms.js';

class TracingVariables {
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
}

/** OpenTelemetry export; tracing is off when no endpoint is set. */
export abstract class TracingConfig {
  abstract readonly otlpEndpoint?: string;
}

export const tracingConfig = defineConfigSection({
  name: 'tracing',
  variables: TracingVariables,
  settings: TracingConfig,
  build: (variables): TracingConfig => ({ otlpEndpoint: variables.OTEL_EXPORTER_OTLP_ENDPOINT }),
});
