import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { JwksSettings } from '#lib/config';
import { Clock, SystemClock } from '#lib/kernel';
import { JwksUnavailableError } from './jwks-unavailable.error.js';
import { UnknownSigningKeyError } from './unknown-signing-key.error.js';
import { VerificationKeySource } from './verification-key.source.js';

interface KeySet {
  readonly byKeyId: ReadonlyMap<string, KeyObject>;
  readonly fetchedAtMs: number;
}

/** RS256 signature keys only: an encryption key or an EC key in the set must not verify tokens. */
const isRsaSignatureKey = (jwk: JsonWebKey): boolean =>
  jwk.kty === 'RSA' &&
  typeof jwk.kid === 'string' &&
  (jwk.use === undefined || jwk.use === 'sig') &&
  (jwk.alg === undefined || jwk.alg === 'RS256');

function toKeySet(body: unknown, fetchedAtMs: number): KeySet {
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error('the response is not a JSON Web Key Set');
  const byKeyId = new Map<string, KeyObject>();
  for (const jwk of keys as JsonWebKey[]) {
    // One malformed entry must not hide the good keys beside it.
    if (!isRsaSignatureKey(jwk)) continue;
    try {
      byKeyId.set(jwk.kid as string, createPublicKey({ key: jwk, format: 'jwk' }));
    } catch {
      continue;
    }
  }
  return { byKeyId, fetchedAtMs };
}

/**
 * Identity's published keys (/.well-known/jwks.json), cached, so an app that signs nothing verifies
 * tokens without configured keys and picks up a rotated key without a restart (ADR 0018):
 * - a token whose `kid` is not cached triggers a fetch; requests that arrive meanwhile share it;
 * - at most one fetch per cooldown, counted from every attempt, failed ones included, so a stream
 *   of forged `kid`s (or an identity outage) costs identity one request per cooldown, not one each;
 * - a set older than the cache age is refreshed in the background while it keeps serving, so an
 *   identity outage does not stop the tokens of known keys from verifying;
 * - the fetch has a timeout; when it fails and the key is not cached, JwksUnavailableError (503).
 *
 * Hand-written around `fetch` rather than jose's createRemoteJWKSet: jose counts its cooldown from
 * the last successful fetch only (while identity is down every unknown `kid` fetches again) and
 * drops a stale set whose refresh fails; it also yields WebCrypto keys where passport-jwt wants
 * KeyObjects.
 */
export class JwksVerificationKeySource extends VerificationKeySource {
  private readonly logger = new Logger(JwksVerificationKeySource.name);
  private keySet?: KeySet;
  private lastAttemptAtMs = Number.NEGATIVE_INFINITY;
  private lastAttemptFailed = false;
  private pendingFetch?: Promise<void>;

  constructor(
    private readonly settings: JwksSettings,
    private readonly clock: Clock = new SystemClock(),
  ) {
    super();
  }

  async keyFor(keyId: string | undefined): Promise<KeyObject> {
    if (this.keySet && this.isStale(this.keySet) && !this.isCoolingDown()) void this.refresh();
    const cached = this.find(keyId);
    if (cached) return cached;

    // Not cached: fetch unless one was tried within the cooldown; join a fetch under way.
    await (this.isCoolingDown() ? this.pendingFetch : this.refresh());
    const fetched = this.find(keyId);
    if (fetched) return fetched;
    if (this.lastAttemptFailed) {
      throw new JwksUnavailableError(
        this.settings.url,
        Math.max(1, Math.ceil(this.settings.cooldownMs / 1000)),
      );
    }
    throw new UnknownSigningKeyError(keyId);
  }

  /** A token without `kid` can only mean the one key, when the set has exactly one. */
  private find(keyId: string | undefined): KeyObject | undefined {
    const byKeyId = this.keySet?.byKeyId;
    if (!byKeyId) return undefined;
    if (keyId !== undefined) return byKeyId.get(keyId);
    return byKeyId.size === 1 ? [...byKeyId.values()][0] : undefined;
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }

  private isStale(keySet: KeySet): boolean {
    return this.nowMs() - keySet.fetchedAtMs >= this.settings.cacheMaxAgeMs;
  }

  private isCoolingDown(): boolean {
    return this.nowMs() - this.lastAttemptAtMs < this.settings.cooldownMs;
  }

  /** Never rejects: a failure is remembered in `lastAttemptFailed` and logged once per attempt. */
  private refresh(): Promise<void> {
    if (this.pendingFetch) return this.pendingFetch;
    this.lastAttemptAtMs = this.nowMs();
    const attempt = this.fetchKeySet().then(
      (keySet) => {
        this.keySet = keySet;
        this.lastAttemptFailed = false;
      },
      (error: unknown) => {
        this.lastAttemptFailed = true;
        this.logger.warn(
          { err: error, url: this.settings.url },
          `cannot fetch the JWKS: ${(error as Error).message}`,
        );
      },
    );
    this.pendingFetch = attempt.finally(() => {
      this.pendingFetch = undefined;
    });
    return this.pendingFetch;
  }

  private async fetchKeySet(): Promise<KeySet> {
    const response = await fetch(this.settings.url, {
      headers: { accept: 'application/jwk-set+json, application/json' },
      // A redirect could lead the key fetch anywhere; the URL is configured exactly.
      redirect: 'error',
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`expected 200 from the JWKS, got ${response.status}`);
    }
    return toKeySet(await response.json(), this.nowMs());
  }
}
