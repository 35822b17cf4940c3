/** The part of the configuration the identity use cases need (built from AppConfig in the module). */
export class IdentitySettings {
  constructor(
    readonly refreshTokenTtlSeconds: number,
    /** The first admin, from ADMIN_EMAIL/ADMIN_PASSWORD; absent when not configured. */
    readonly bootstrapAdmin?: { readonly email: string; readonly password: string },
  ) {}
}
