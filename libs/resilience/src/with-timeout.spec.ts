import { isTransient } from './is-transient.js';
import { RESILIENCE_ERROR_CODES, TimeoutError } from './resilience.errors.js';
import { withTimeout } from './with-timeout.js';

const never = (): Promise<never> => new Promise<never>(() => {});

describe('withTimeout', () => {
  it('returns the result of an operation that finishes in time', async () => {
    await expect(withTimeout(async () => 'charged', { timeoutMs: 1_000 })).resolves.toBe('charged');
  });

  it('aborts the signal of an operation that overruns and rejects with a transient TimeoutError', async () => {
    let seen: AbortSignal | undefined;

    const outcome = withTimeout(
      (signal) => {
        seen = signal;
        return never();
      },
      { timeoutMs: 20 },
    );

    const error = await outcome.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: RESILIENCE_ERROR_CODES.TIMEOUT, timeoutMs: 20 });
    expect(isTransient(error)).toBe(true);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
  });

  it('rejects with the TimeoutError even when the operation rejects on abort with its own error', async () => {
    const outcome = withTimeout(
      (signal) =>
        new Promise<never>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
      { timeoutMs: 20 },
    );

    await expect(outcome).rejects.toBeInstanceOf(TimeoutError);
  });

  it('passes the operation’s own failure through untouched', async () => {
    const failure = new Error('declined');

    await expect(
      withTimeout(async () => Promise.reject(failure), { timeoutMs: 1_000 }),
    ).rejects.toBe(failure);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const failure = new Error('bad argument');

    await expect(
      withTimeout(
        () => {
          throw failure;
        },
        { timeoutMs: 1_000 },
      ),
    ).rejects.toBe(failure);
  });

  it('aborts the operation when the caller’s signal aborts, with the caller’s reason', async () => {
    const caller = new AbortController();
    const shutdown = new Error('shutting down');
    let seen: AbortSignal | undefined;

    const outcome = withTimeout(
      (signal) => {
        seen = signal;
        return never();
      },
      { timeoutMs: 10_000, signal: caller.signal },
    );
    caller.abort(shutdown);

    await expect(outcome).rejects.toBe(shutdown);
    expect(seen?.aborted).toBe(true);
  });

  it('does not start the operation when the caller has already aborted', async () => {
    const caller = new AbortController();
    caller.abort(new Error('shutting down'));
    let started = false;

    await expect(
      withTimeout(
        async () => {
          started = true;
        },
        { timeoutMs: 1_000, signal: caller.signal },
      ),
    ).rejects.toThrow('shutting down');
    expect(started).toBe(false);
  });
});
