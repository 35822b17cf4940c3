import type { TrustProxy } from './trust-proxy.js';

export type NodeEnvironment = 'development' | 'test' | 'production';

export interface JwtPublicKey {
  readonly publicKeyPem: string;
  /** RFC 7638 thumbprint of the public key, published as `kid` in the JWKS. */
  readonly keyId: string;
}

export interface JwtKeyPair extends JwtPublicKey {
  /** PKCS#8 PEM; absent on apps that only verify tokens. */
  readonly privateKeyPem?: string;
}

/** Where and how an app that signs nothing fetches identity's public keys. */
export interface JwksSettings {
  readonly url: string;
  /** A fetched key set is refreshed in the background once it is this old. */
  readonly cacheMaxAgeMs: number;
  /** At most one fetch per this interval, whatever the tokens say (forged `kid`s included). */
  readonly cooldownMs: number;
  readonly timeoutMs: number;
}

/** The simulated payment provider and the resilience around every call to it. */
export interface PaymentsSettings {
  readonly provider: {
    readonly latencyMs: number;
    readonly declineRate: number;
    readonly outageRate: number;
    readonly timeoutRate: number;
    readonly outageFirstCalls: number;
  };
  readonly providerCall: {
    readonly timeoutMs: number;
    readonly maxAttempts: number;
    readonly retryBaseMs: number;
  };
  readonly breaker: {
    readonly errorThresholdPercentage: number;
    readonly volumeThreshold: number;
    readonly resetTimeoutMs: number;
  };
  readonly worker: {
    readonly enabled: boolean;
    readonly pollIntervalMs: number;
    readonly retryBaseMs: number;
    readonly retryMaxMs: number;
    readonly chargeDeadlineMs: number;
  };
}

/**
 * The typed, validated configuration of one process. It is also the DI token: inject `AppConfig`.
 * Built once by `loadConfig` from the environment; never read `process.env` anywhere else.
 */
export class AppConfig {
  constructor(
    readonly env: NodeEnvironment,
    readonly serviceName: string,
    readonly http: {
      readonly host: string;
      readonly port: number;
      readonly bodyLimitBytes: number;
      readonly corsOrigins: readonly string[];
      readonly trustProxy: TrustProxy;
    },
    readonly database: {
      readonly url: string;
      readonly poolMax: number;
      readonly connectTimeoutMs: number;
      readonly statementTimeoutMs: number;
      readonly runMigrations: boolean;
    },
    readonly redis: { readonly url: string },
    readonly messaging: {
      /** `in-process` in monolith mode, `rmq` in split mode. */
      readonly transport: 'in-process' | 'rmq';
      readonly rmq: {
        readonly url: string;
        readonly exchange: string;
        readonly prefetch: number;
      };
      readonly rpcTimeoutMs: number;
      readonly inlineRetryMaxMs: number;
      readonly handlerConcurrency: number;
      readonly retryPollIntervalMs: number;
      readonly relay: {
        readonly enabled: boolean;
        readonly pollIntervalMs: number;
        readonly batchSize: number;
        readonly publishConcurrency: number;
        readonly publishTimeoutMs: number;
        readonly leaseMs: number;
      };
      readonly retention: {
        readonly intervalMs: number;
        readonly outboxRetentionDays: number;
        readonly processedRetentionDays: number;
      };
      /** `/health/backlog` is down once the oldest unpublished event is older than this. */
      readonly outboxMaxAgeSeconds: number;
    },
    readonly catalog: {
      readonly cacheTtlSeconds: number;
      readonly httpMaxAgeSeconds: number;
    },
    readonly orders: {
      readonly idempotencyKeyTtlSeconds: number;
      readonly idempotencyWaitMs: number;
      readonly idempotencyLeaseMs: number;
      readonly idempotencySweepIntervalMs: number;
      readonly catalogRpcTimeoutMs: number;
    },
    readonly payments: PaymentsSettings,
    readonly notifications: {
      readonly jobAttempts: number;
      readonly jobBackoffMs: number;
      readonly keepCompletedJobs: number;
      readonly enqueueTimeoutMs: number;
    },
    readonly log: { readonly level: string; readonly pretty: boolean },
    readonly tracing: { readonly otlpEndpoint?: string },
    readonly auth: {
      readonly issuer: string;
      readonly audience: string;
      readonly accessTokenTtlSeconds: number;
      readonly refreshTokenTtlSeconds: number;
      /** Absent only on a production app that verifies through the JWKS and signs nothing. */
      readonly keys?: JwtKeyPair;
      /** Keys retired by a rotation: still published and accepted until removed from config. */
      readonly previousPublicKeys: readonly JwtPublicKey[];
      /** Set when access tokens are verified against identity's JWKS, not configured keys. */
      readonly jwks?: JwksSettings;
    },
    readonly throttle: {
      readonly ttlMs: number;
      readonly limit: number;
      readonly loginLimitPerAccount: number;
      readonly loginLimitPerIp: number;
      readonly loginWindowMs: number;
      readonly loginBaseDelayMs: number;
      readonly loginMaxDelayMs: number;
    },
    readonly shutdown: { readonly readinessDelayMs: number; readonly graceMs: number },
    readonly bootstrapAdmin?: { readonly email: string; readonly password: string },
  ) {}
}
