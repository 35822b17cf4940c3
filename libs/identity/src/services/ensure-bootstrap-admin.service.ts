import { Injectable } from '@nestjs/common';
import { EmailTakenError } from '../domain/user.errors.js';
import { UserRepository } from '../repositories/user.repository.js';
import { IdentitySettings } from './identity-settings.js';
import { RegisterUserService } from './register-user.service.js';

export type BootstrapAdminOutcome =
  /** ADMIN_EMAIL is not set: nothing to do. */
  | 'not_configured'
  | 'created'
  | 'already_admin'
  /**
   * The address belongs to an account without the admin role. It is NOT promoted: whoever
   * registered it chose its password, so promoting it could hand the shop to a stranger.
   */
  | 'exists_without_admin_role';

/**
 * Creates the first admin from configuration (ADMIN_EMAIL / ADMIN_PASSWORD) when it does not exist.
 * Idempotent, and safe when several replicas run it at once. Never changes an existing account.
 */
@Injectable()
export class EnsureBootstrapAdminService {
  constructor(
    private readonly users: UserRepository,
    private readonly registerUser: RegisterUserService,
    private readonly settings: IdentitySettings,
  ) {}

  async ensure(): Promise<BootstrapAdminOutcome> {
    const admin = this.settings.bootstrapAdmin;
    if (!admin) return 'not_configured';
    try {
      await this.registerUser.register({ ...admin, roles: ['admin'] });
      return 'created';
    } catch (error) {
      if (!(error instanceof EmailTakenError)) throw error;
    }
    const existing = await this.users.findByEmail(admin.email);
    return existing?.hasRole('admin') ? 'already_admin' : 'exists_without_admin_role';
  }
}
