import { Clock, SystemClock } from '#lib/kernel';
import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type ModuleOptionsFactory } from '#lib/config';
import { DatabaseModule, TransactionRunner } from '#lib/database';
import { RevokedSubjects } from '#lib/guards';
import { Argon2PasswordHasher } from './clients/argon2-password.hasher.js';
import { JoseAccessTokenIssuer } from './clients/jose-access-token.issuer.js';
import { RedisLoginAttemptLimiter } from './clients/redis-login-attempt.limiter.js';
import { BootstrapAdminOnStartup } from './controllers/bootstrap-admin.startup.js';
import { JwksHttpController } from './controllers/jwks.http.controller.js';
import { OAuthHttpController } from './controllers/oauth.http.controller.js';
import { UsersHttpController } from './controllers/users.http.controller.js';
import { IdentityConfig, identityConfig } from './identity.config.js';
import { IDENTITY_PERSISTENCE } from './identity.persistence.js';
import { RefreshTokenRepository } from './repositories/refresh-token.repository.js';
import { TypeormRefreshTokenRepository } from './repositories/refresh-token.typeorm-repository.js';
import { UserRepository } from './repositories/user.repository.js';
import { TypeormUserRepository } from './repositories/user.typeorm-repository.js';
import { ChangeUserRolesService } from './services/change-user-roles.service.js';
import { DeleteUserService } from './services/delete-user.service.js';
import { EnsureBootstrapAdminService } from './services/ensure-bootstrap-admin.service.js';
import { GetUserService } from './services/get-user.service.js';
import { IdentitySettings } from './services/identity-settings.js';
import { ListUsersService } from './services/list-users.service.js';
import { PasswordGrantService } from './services/password-grant.service.js';
import { AccessTokenIssuer } from './services/ports/access-token-issuer.port.js';
import { AccessTokenRevocation } from './services/ports/access-token-revocation.port.js';
import { LoginAttemptLimiter } from './services/ports/login-attempt-limiter.port.js';
import { PasswordHasher } from './services/ports/password-hasher.port.js';
import { UnitOfWork } from './services/ports/unit-of-work.port.js';
import { RefreshTokenGrantService } from './services/refresh-token-grant.service.js';
import { RegisterUserService } from './services/register-user.service.js';
import { RevokeRefreshTokenService } from './services/revoke-refresh-token.service.js';

/** The identity context's tunables; IdentityConfig (from the environment) has this shape. */
export interface IdentityModuleOptions {
  readonly refreshTokenTtlSeconds: number;
  readonly bootstrapAdmin?: { readonly email: string; readonly password: string };
}

export type IdentityModuleAsyncOptions = ModuleOptionsFactory<IdentityModuleOptions>;

/**
 * The identity context: accounts, credentials, roles and tokens. Needs the platform's global
 * modules (config, database, Redis, guards); owns the `identity` Postgres schema.
 */
@Module({})
export class IdentityModule {
  /** What an app that runs identity imports: options from the `identity` config section. */
  static forRootFromEnv(): DynamicModule {
    return IdentityModule.forRootAsync({
      imports: [ConfigModule.forFeature(identityConfig)],
      inject: [IdentityConfig],
      useFactory: (config: IdentityConfig): IdentityModuleOptions => config,
    });
  }

  /** Options from other providers, e.g. a config section's settings. */
  static forRootAsync(options: IdentityModuleAsyncOptions): DynamicModule {
    return {
      module: IdentityModule,
      imports: [DatabaseModule.forFeature(IDENTITY_PERSISTENCE), ...(options.imports ?? [])],
      controllers: [UsersHttpController, OAuthHttpController, JwksHttpController],
      providers: [
        // Ports and the adapters that implement them here.
        { provide: UserRepository, useClass: TypeormUserRepository },
        { provide: RefreshTokenRepository, useClass: TypeormRefreshTokenRepository },
        { provide: PasswordHasher, useClass: Argon2PasswordHasher },
        { provide: AccessTokenIssuer, useClass: JoseAccessTokenIssuer },
        { provide: LoginAttemptLimiter, useClass: RedisLoginAttemptLimiter },
        { provide: Clock, useClass: SystemClock },
        { provide: UnitOfWork, useExisting: TransactionRunner },
        // The guards' revocation list, which every app's JWT strategy checks (ADR 0042).
        { provide: AccessTokenRevocation, useExisting: RevokedSubjects },
        {
          provide: IdentitySettings,
          inject: options.inject ?? [],
          useFactory: async (...dependencies: never[]): Promise<IdentitySettings> => {
            const { refreshTokenTtlSeconds, bootstrapAdmin } = await options.useFactory(
              ...dependencies,
            );
            return new IdentitySettings(refreshTokenTtlSeconds, bootstrapAdmin);
          },
        },
        // Use cases.
        RegisterUserService,
        PasswordGrantService,
        RefreshTokenGrantService,
        RevokeRefreshTokenService,
        GetUserService,
        ListUsersService,
        ChangeUserRolesService,
        DeleteUserService,
        EnsureBootstrapAdminService,
        BootstrapAdminOnStartup,
      ],
      exports: [EnsureBootstrapAdminService],
    };
  }
}
