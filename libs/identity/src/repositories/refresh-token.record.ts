import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of identity.refresh_tokens. Holds the SHA-256 of the token, never the token. */
@Entity({ schema: 'identity', name: 'refresh_tokens' })
export class RefreshTokenRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @Column('uuid')
  familyId!: string;

  @Column('uuid', { nullable: true })
  parentId!: string | null;

  @Column('char', { length: 64 })
  tokenHash!: string;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  expiresAt!: Date;

  @Column('timestamptz', { nullable: true })
  usedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;
}
