import { type DynamicModule, Global, Module, Optional } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAuthGuard } from './authentication/jwt-auth.guard.js';
import { JwtStrategy } from './authentication/jwt.strategy.js';
import { RevokedSubjects } from './authentication/revoked-subjects.js';
import { revokedSubjectsProvider } from './authentication/revoked-subjects.provider.js';
import { verificationKeySourceProvider } from './authentication/verification-key-source.provider.js';
import { RolesGuard } from './authorization/roles.guard.js';
import { RedisThrottlerStorageModule } from './throttling/redis-throttler-storage.module.js';

/**
 * Authentication, rate limiting and authorization for every route of an app:
 * `imports: [GuardsModule.forRoot()]`. Routes are closed by default; open them with @Public().
 */
@Global()
@Module({ imports: [RedisThrottlerStorageModule], exports: [RedisThrottlerStorageModule] })
export class GuardsModule {
  constructor(@Optional() strategy?: JwtStrategy) {
    // Imported bare, the module registers no guard and every route would be open: refuse to start.
    if (!strategy) throw new Error('Import GuardsModule.forRoot(), not GuardsModule');
  }

  /**
   * Async because it loads @nestjs/throttler on demand: that package is CommonJS requiring
   * ESM-only Nest packages, which Jest cannot load, and a static import here would make every
   * controller using @Public() or @Roles() unloadable in tests (see ADR 0005).
   */
  static async forRoot(): Promise<DynamicModule> {
    const [{ createThrottlerModule }, { UserThrottlerGuard }] = await Promise.all([
      import('./throttling/throttler.module-factory.js'),
      import('./throttling/user-throttler.guard.js'),
    ]);
    return {
      module: GuardsModule,
      global: true,
      imports: [createThrottlerModule()],
      providers: [
        verificationKeySourceProvider,
        revokedSubjectsProvider,
        JwtStrategy,
        // Nest runs global guards in this order: identify the caller first, so the throttler can
        // count per user and the roles guard can see the caller's roles.
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: UserThrottlerGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
      // Identity records revocations (account deletion) through the same service.
      exports: [RevokedSubjects],
    };
  }
}
