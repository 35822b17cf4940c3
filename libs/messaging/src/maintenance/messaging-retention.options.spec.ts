import {
  DEFAULT_MESSAGING_RETENTION,
  resolveMessagingRetentionOptions,
} from './messaging-retention.options.js';

describe('messaging retention options', () => {
  it('keeps published outbox rows 7 days and processed ids 30 days, in batches of 1000, every 10 minutes', () => {
    expect(resolveMessagingRetentionOptions()).toEqual({
      intervalMs: 600_000,
      outboxRetentionDays: 7,
      processedRetentionDays: 30,
      batchSize: 1_000,
    });
  });

  it('takes a setting given as undefined as its default', () => {
    expect(resolveMessagingRetentionOptions({ intervalMs: undefined, batchSize: 10 })).toEqual({
      ...DEFAULT_MESSAGING_RETENTION,
      batchSize: 10,
    });
  });

  it('accepts an interval of 0, which turns retention off', () => {
    expect(resolveMessagingRetentionOptions({ intervalMs: 0 }).intervalMs).toBe(0);
  });

  it.each([
    ['a negative interval', { intervalMs: -1 }, /intervalMs/],
    ['a retention of 0 days', { outboxRetentionDays: 0 }, /positive/],
    ['a retention that is not a number', { processedRetentionDays: Number.NaN }, /positive/],
    ['an empty batch', { batchSize: 0 }, /batchSize/],
    ['a fractional batch', { batchSize: 2.5 }, /batchSize/],
  ])('refuses %s', (_case, options, message) => {
    expect(() => resolveMessagingRetentionOptions(options)).toThrow(message);
  });

  it('refuses to forget processed ids before the outbox rows that could be replayed to them', () => {
    expect(() =>
      resolveMessagingRetentionOptions({ outboxRetentionDays: 14, processedRetentionDays: 10 }),
    ).toThrow(/at least as long as published outbox rows \(14 days\)/);
  });
});
