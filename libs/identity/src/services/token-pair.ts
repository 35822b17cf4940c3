/** What a successful token request returns: a short-lived access token and its refresh token. */
export interface TokenPair {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
  readonly refreshToken: string;
}
