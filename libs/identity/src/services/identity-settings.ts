/** The part of the configuration the identity use cases need (built from IdentityModule's options). */
export class IdentitySettings {
  constructor(
    readonly refreshTokenTtlSeconds: number,
    /** The first admin, from ADMIN_EMAIL/ADMIN_PASSWORD; absent when not configured. */
    readonly bootstrapAdmin?: { readonly email: string; readonly password: string },
  ) {}
}
