import type { Provider } from '@nestjs/common';
import { AuthConfig } from '#lib/config';
import { ConfiguredVerificationKeySource } from './configured-verification-key.source.js';
import { JwksVerificationKeySource } from './jwks-verification-key.source.js';
import { VerificationKeySource } from './verification-key.source.js';

/** JWT_JWKS_URL set: identity's published keys; otherwise the configured ones (monolith, identity). */
export function verificationKeySourceFor(auth: AuthConfig): VerificationKeySource {
  if (auth.jwks) return new JwksVerificationKeySource(auth.jwks);
  // The auth section leaves keys out only when a JWKS URL is set.
  if (!auth.keys) throw new Error('JWT_PUBLIC_KEY or JWT_JWKS_URL must be set');
  return new ConfiguredVerificationKeySource(auth.keys, auth.previousPublicKeys);
}

export const verificationKeySourceProvider: Provider = {
  provide: VerificationKeySource,
  useFactory: verificationKeySourceFor,
  inject: [AuthConfig],
};
