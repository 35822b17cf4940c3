import { spawnProcess } from '../../support/spawned-process.js';

describe('spawnProcess (test support)', () => {
  it('counts a command that cannot be started as ended at once, naming it in its output', async () => {
    const missing = spawnProcess('commerce-no-such-command', [], { PATH: '/nonexistent' }, '.');

    await expect(missing.exited).resolves.toBeNull();
    expect(missing.hasExited()).toBe(true);
    await expect(missing.stop()).resolves.toBeNull();
    expect(missing.logs()).toContain('could not start commerce-no-such-command: spawn');
    expect(missing.logs()).toContain('ENOENT');
  });

  it('resolves with the exit code of a command that ran', async () => {
    const ran = spawnProcess(
      'node',
      ['-e', 'console.log("hello"); process.exit(3)'],
      {
        PATH: process.env.PATH ?? '',
      },
      '.',
    );

    await expect(ran.exited).resolves.toBe(3);
    expect(ran.logs()).toBe('hello\n');
  });

  it('keeps what is written to its pipes after it exited, until they close', async () => {
    // The background subshell inherits the pipes and writes after the shell has exited: the tail
    // of a process's output can likewise still be in the pipe when 'exit' comes.
    const ran = spawnProcess(
      'sh',
      ['-c', '(sleep 0.1; echo late) & echo early; exit 3'],
      { PATH: process.env.PATH ?? '' },
      '.',
    );

    await expect(ran.exited).resolves.toBe(3);
    expect(ran.logs()).toBe('early\nlate\n');
  });
});
