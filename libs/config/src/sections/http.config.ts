import { Transform } from 'class-transformer';
import { IsString, ValidateBy } from 'class-validator';
import { defineConfigSection } from '../config-section.js';
import { IntegerVariable } from '../environment-variable.decorators.js';
import { parseTrustProxy, type TrustProxy } from '../trust-proxy.js';

class HttpVariables {
  @IsString()
  HTTP_HOST = '0.0.0.0';

  @IntegerVariable({ min: 0, max: 65535 })
  HTTP_PORT = 3000;

  @IntegerVariable({ min: 1024, max: 50 * 1024 * 1024 })
  HTTP_BODY_LIMIT_BYTES = 100 * 1024;

  @IsString()
  HTTP_CORS_ORIGINS = '';

  // Parsed here so a bad value is reported with the others; an unparseable value stays a string.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (parseTrustProxy(value) ?? value) : value,
  )
  @ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) => typeof value !== 'string',
      defaultMessage: () =>
        'HTTP_TRUST_PROXY must be false, a hop count (e.g. 1) or a comma-separated list of addresses/CIDR ranges',
    },
  })
  HTTP_TRUST_PROXY: TrustProxy = false;
}

/** The HTTP server: where it listens, body size, CORS and which proxies it believes. */
export abstract class HttpConfig {
  abstract readonly host: string;
  abstract readonly port: number;
  abstract readonly bodyLimitBytes: number;
  abstract readonly corsOrigins: readonly string[];
  abstract readonly trustProxy: TrustProxy;
}

const splitList = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

export const httpConfig = defineConfigSection({
  name: 'http',
  variables: HttpVariables,
  settings: HttpConfig,
  build: (variables): HttpConfig => ({
    host: variables.HTTP_HOST,
    port: variables.HTTP_PORT,
    bodyLimitBytes: variables.HTTP_BODY_LIMIT_BYTES,
    corsOrigins: splitList(variables.HTTP_CORS_ORIGINS),
    trustProxy: variables.HTTP_TRUST_PROXY,
  }),
});
