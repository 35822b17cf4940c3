import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of identity.users: a persistence shape only; the domain object is `User`. */
@Entity({ schema: 'identity', name: 'users' })
export class UserRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { length: 254 })
  email!: string;

  @Column('text')
  passwordHash!: string;

  @Column('text', { array: true })
  roles!: string[];

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;
}
