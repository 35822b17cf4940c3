import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MinLength, ValidateIf } from 'class-validator';
import { defineConfigSection, emptyToUndefined, IntegerVariable } from '#lib/config';

class IdentityVariables {
  @IntegerVariable({ min: 60 })
  REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((variables: IdentityVariables) => variables.ADMIN_EMAIL !== undefined)
  @IsString({ message: 'ADMIN_PASSWORD is required when ADMIN_EMAIL is set' })
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  ADMIN_PASSWORD?: string;
}

/** The identity context's settings from the environment; inject it by this class. */
export abstract class IdentityConfig {
  abstract readonly refreshTokenTtlSeconds: number;
  /** The first admin, from ADMIN_EMAIL/ADMIN_PASSWORD; absent when not configured. */
  abstract readonly bootstrapAdmin?: { readonly email: string; readonly password: string };
}

/** Validated only in an app that runs the identity context (`IdentityModule.forRootFromEnv()`). */
export const identityConfig = defineConfigSection({
  name: 'identity',
  variables: IdentityVariables,
  settings: IdentityConfig,
  secrets: ['ADMIN_PASSWORD'],
  build: (variables): IdentityConfig => ({
    refreshTokenTtlSeconds: variables.REFRESH_TOKEN_TTL_SECONDS,
    bootstrapAdmin:
      variables.ADMIN_EMAIL && variables.ADMIN_PASSWORD
        ? { email: variables.ADMIN_EMAIL.toLowerCase(), password: variables.ADMIN_PASSWORD }
        : undefined,
  }),
});
