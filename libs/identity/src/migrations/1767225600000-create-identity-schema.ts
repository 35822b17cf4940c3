import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The identity context's own schema. Emails are stored in normal form (the CHECK makes sure), so
 * a plain unique index is case-insensitive in effect. Refresh tokens keep only their SHA-256.
 */
export class CreateIdentitySchema1767225600000 implements MigrationInterface {
  name = 'CreateIdentitySchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS identity`);
    await queryRunner.query(`
      CREATE TABLE identity.users (
        id            uuid         PRIMARY KEY,
        email         varchar(254) NOT NULL,
        password_hash text         NOT NULL,
        roles         text[]       NOT NULL,
        created_at    timestamptz  NOT NULL,
        updated_at    timestamptz  NOT NULL,
        CONSTRAINT users_email_key UNIQUE (email),
        CONSTRAINT users_email_normalised CHECK (email = lower(btrim(email))),
        CONSTRAINT users_roles_known CHECK (
          cardinality(roles) > 0 AND roles <@ ARRAY['customer', 'admin']::text[]
        )
      )`);
    // Serves the admin listing: ORDER BY created_at, id with a (created_at, id) > (...) seek.
    await queryRunner.query(
      `CREATE INDEX users_created_at_id_idx ON identity.users (created_at, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE identity.refresh_tokens (
        id         uuid        PRIMARY KEY,
        user_id    uuid        NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
        family_id  uuid        NOT NULL,
        parent_id  uuid        NULL REFERENCES identity.refresh_tokens (id) ON DELETE CASCADE,
        token_hash char(64)    NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at    timestamptz NULL,
        revoked_at timestamptz NULL,
        CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash),
        CONSTRAINT refresh_tokens_expiry_after_creation CHECK (expires_at > created_at)
      )`);
    await queryRunner.query(
      `CREATE INDEX refresh_tokens_family_id_idx ON identity.refresh_tokens (family_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX refresh_tokens_user_id_idx ON identity.refresh_tokens (user_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX refresh_tokens_parent_id_idx ON identity.refresh_tokens (parent_id)`,
    );
    // For a periodic purge of tokens that can no longer be used.
    await queryRunner.query(
      `CREATE INDEX refresh_tokens_expires_at_idx ON identity.refresh_tokens (expires_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS identity.refresh_tokens`);
    await queryRunner.query(`DROP TABLE IF EXISTS identity.users`);
    // Not CASCADE: should anything else live in the schema, the rollback stops instead of deleting it.
    await queryRunner.query(`DROP SCHEMA IF EXISTS identity`);
  }
}
