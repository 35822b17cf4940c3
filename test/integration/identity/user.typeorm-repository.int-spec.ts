import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Email } from '../../../libs/identity/src/domain/email.js';
import { User } from '../../../libs/identity/src/domain/user.js';
import { EmailTakenError } from '../../../libs/identity/src/domain/user.errors.js';
import { TypeormUserRepository } from '../../../libs/identity/src/repositories/user.typeorm-repository.js';
import { uniqueEmail } from '../../support/test-environment.js';
import { openIdentityDatabase } from './identity-database.js';

describe('TypeormUserRepository against PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openIdentityDatabase>>;
  let dataSource: DataSource;
  let users: TypeormUserRepository;

  beforeAll(async () => {
    database = await openIdentityDatabase();
    dataSource = database.dataSource;
    users = new TypeormUserRepository(database.transactions);
  });

  afterAll(() => database.close());

  const newUser = (at = new Date(), email = uniqueEmail('repo')): User => {
    const user = User.register({
      email: Email.parse(email),
      passwordHash: '$argon2id$fake',
      now: at,
    });
    database.track(user.id);
    return user;
  };

  it('stores a user and finds it by id and by email with every field intact', async () => {
    const user = newUser(new Date('2026-05-06T07:08:09.123Z'));
    user.changeRoles(
      ['customer', 'admin'],
      { id: 'someone' },
      new Date('2026-05-06T08:00:00.000Z'),
    );
    await users.insert(user);

    expect((await users.findById(user.id))?.toSnapshot()).toEqual(user.toSnapshot());
    expect((await users.findByEmail(user.email))?.id).toBe(user.id);
    expect(await users.findByEmail(uniqueEmail('nobody'))).toBeNull();
  });

  it('refuses a second user with the same email with EmailTakenError', async () => {
    const email = uniqueEmail('dup');
    await users.insert(newUser(new Date(), email));
    await expect(users.insert(newUser(new Date(), email))).rejects.toBeInstanceOf(EmailTakenError);
  });

  it('lets exactly one of two concurrent registrations of one email win', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.allSettled([
      users.insert(newUser(new Date(), email)),
      users.insert(newUser(new Date(), email)),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const [rejected] = results.filter((result) => result.status === 'rejected');
    expect(rejected.reason).toBeInstanceOf(EmailTakenError);
  });

  it('is protected by the database against an email that is not in normal form', async () => {
    await expect(
      dataSource.query(
        `INSERT INTO identity.users (id, email, password_hash, roles, created_at, updated_at)
         VALUES (gen_random_uuid(), $1, 'x', ARRAY['customer'], now(), now())`,
        [' Mixed@Example.test'],
      ),
    ).rejects.toThrow(/users_email_normalised/);
  });

  it('is protected by the database against an empty or unknown role list', async () => {
    for (const roles of [[], ['root']]) {
      await expect(
        dataSource.query(
          `INSERT INTO identity.users (id, email, password_hash, roles, created_at, updated_at)
           VALUES (gen_random_uuid(), $1, 'x', $2::text[], now(), now())`,
          [uniqueEmail('roles'), roles],
        ),
      ).rejects.toThrow(/users_roles_known/);
    }
  });

  it('updates roles', async () => {
    const user = newUser();
    await users.insert(user);
    user.changeRoles(['admin'], { id: 'someone' }, new Date());
    await users.updateRoles(user);
    expect((await users.findById(user.id))?.roles).toEqual(['admin']);
  });

  it('pages in (created_at, id) order, breaking ties by id, with no row skipped or repeated', async () => {
    // A random instant far from "now", so no other suite's rows fall in between.
    const base = new Date(Date.UTC(2900, 0, 1) + randomInt(0, 2 ** 40));
    const at = (seconds: number) => new Date(base.getTime() + seconds * 1000);
    const created = [
      newUser(at(3)),
      newUser(at(1)),
      newUser(at(2)),
      newUser(at(2)),
      newUser(at(0)),
      newUser(at(2)),
    ];
    for (const user of created) await users.insert(user);
    const expected = [...created]
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .map((user) => user.id);

    const seen: string[] = [];
    let after = {
      createdAt: new Date(base.getTime() - 1),
      id: '00000000-0000-0000-0000-000000000000',
    };
    while (seen.length < created.length) {
      const page = await users.listInCreationOrder(after, 4);
      expect(page.length).toBeGreaterThan(0);
      seen.push(...page.map((user) => user.id));
      const last = page[page.length - 1];
      after = { createdAt: last.createdAt, id: last.id };
    }
    expect(seen.slice(0, created.length)).toEqual(expected);
  });
});
