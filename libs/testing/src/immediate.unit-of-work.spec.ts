import { ImmediateUnitOfWork } from './immediate.unit-of-work.js';

describe('ImmediateUnitOfWork', () => {
  it('runs the work at once, returns its result and counts the runs', async () => {
    const unitOfWork = new ImmediateUnitOfWork();

    expect(await unitOfWork.run(async () => 'done')).toBe('done');
    await expect(unitOfWork.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');

    expect(unitOfWork.runs).toBe(2);
  });
});
