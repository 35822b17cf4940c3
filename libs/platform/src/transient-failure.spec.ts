import { isTransientFailure } from './transient-failure.js';

const socketError = (code: string): Error =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect' });

describe('isTransientFailure', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'])(
    'calls a dependency socket that failed with %s transient (503, not 500)',
    (code) => {
      expect(isTransientFailure(socketError(code))).toBe(true);
    },
  );

  it('calls an error marked transient transient', () => {
    expect(isTransientFailure(Object.assign(new Error('breaker open'), { transient: true }))).toBe(
      true,
    );
  });

  it('calls a bug a bug', () => {
    expect(isTransientFailure(new TypeError('undefined is not a function'))).toBe(false);
    expect(isTransientFailure('not even an error')).toBe(false);
  });
});
