/** One-way password hashing port; it is also the DI token. */
export abstract class PasswordHasher {
  abstract hash(password: string): Promise<string>;

  /** False (never an exception) for a wrong password or an unreadable hash. */
  abstract verify(hash: string, password: string): Promise<boolean>;
}
