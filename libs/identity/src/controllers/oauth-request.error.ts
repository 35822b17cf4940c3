import type { OAuthErrorCode } from './dto/oauth-error.response.dto.js';

/**
 * A malformed token or revocation request, in the vocabulary of RFC 6749 §5.2. Raised by the OAuth
 * controller itself (a transport concern), so it is not a domain error.
 */
export class OAuthRequestError extends Error {
  constructor(
    readonly error: Extract<OAuthErrorCode, 'invalid_request' | 'unsupported_grant_type'>,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthRequestError';
  }
}
