/**
 * The shape of every context's `UnitOfWork` port. Each context declares its own abstract class
 * (contexts share no code), all with this one method; TypeScript compares classes by shape, so the
 * doubles of this kit stand in for any of them without extending one.
 */
export interface UnitOfWorkShape {
  run<T>(work: () => Promise<T>): Promise<T>;
}
