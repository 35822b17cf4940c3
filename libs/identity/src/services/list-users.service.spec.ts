import { identityFakes } from '../testing/identity-fakes.js';
import { ListUsersService } from './list-users.service.js';
import { RegisterUserService } from './register-user.service.js';
import { InvalidPageCursorError, UserPageCursor } from './user-page-cursor.js';

describe('ListUsersService', () => {
  async function setup(count: number) {
    const fakes = identityFakes();
    const register = new RegisterUserService(fakes.users, fakes.passwordHasher, fakes.clock);
    const emails: string[] = [];
    for (let index = 0; index < count; index += 1) {
      // Two users per instant, so ties on created_at must be broken by id.
      if (index % 2 === 0) fakes.clock.advanceSeconds(1);
      const user = await register.register({
        email: `user${index}@shop.example`,
        password: 'tangerine-bicycle-42',
      });
      emails.push(user.email);
    }
    return { ...fakes, emails, service: new ListUsersService(fakes.users) };
  }

  it('walks every user exactly once, page by page, in creation order', async () => {
    const { service, users } = await setup(7);
    const expected = (await users.listInCreationOrder(undefined, 100)).map((user) => user.id);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await service.page({ limit: 3, cursor });
      seen.push(...page.users.map((user) => user.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== undefined);

    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
  });

  it('gives no next cursor when the last page is exactly full', async () => {
    const { service } = await setup(3);
    const page = await service.page({ limit: 3 });
    expect(page.users).toHaveLength(3);
    expect(page.nextCursor).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON of the wrong shape', Buffer.from('{"x":1}').toString('base64url')],
    [
      'a bad date',
      Buffer.from('{"t":"yesterday","id":"00000000-0000-4000-8000-000000000000"}').toString(
        'base64url',
      ),
    ],
    [
      'a bad id',
      Buffer.from('{"t":"2026-01-01T00:00:00.000Z","id":"1 OR 1=1"}').toString('base64url'),
    ],
  ])('rejects a cursor that is %s', async (_case, cursor) => {
    const { service } = await setup(1);
    await expect(service.page({ limit: 3, cursor })).rejects.toBeInstanceOf(InvalidPageCursorError);
  });

  it('round-trips a position through an opaque cursor', () => {
    const position = {
      createdAt: new Date('2026-03-04T05:06:07.089Z'),
      id: '4f1c2a8e-0000-4000-8000-00000000abcd',
    };
    const cursor = UserPageCursor.encode(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(UserPageCursor.decode(cursor)).toEqual(position);
  });
});
