import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { type Backlog, BacklogGauges } from './backlog-gauges.js';

const NOW = new Date('2026-12-07T10:00:00Z');

function gaugesReading(read: () => Promise<Backlog>) {
  const registry = new Registry();
  const gauges = new BacklogGauges({
    what: 'test work',
    count: { name: 'test_work_waiting', help: 'Items waiting' },
    oldestAge: { name: 'test_work_oldest_age_seconds', help: 'Age of the oldest item' },
    read,
    now: () => NOW,
    registry,
  });
  const series = async (): Promise<string[]> =>
    (await registry.metrics()).split('\n').filter((line) => line.startsWith('test_work_'));
  return { registry, gauges, series };
}

describe('BacklogGauges', () => {
  afterEach(() => jest.restoreAllMocks());

  it('reports how many items wait and how long the oldest has, with one read per scrape', async () => {
    const read = jest.fn(async (): Promise<Backlog> => ({
      count: 3,
      oldestSince: new Date(NOW.getTime() - 90_500),
    }));
    const { series } = gaugesReading(read);

    expect(await series()).toEqual(['test_work_waiting 3', 'test_work_oldest_age_seconds 90.5']);
    expect(read).toHaveBeenCalledTimes(1);
    expect(await series()).toHaveLength(2);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('reports an age of 0 when nothing waits, and never a negative one for an item due later', async () => {
    const backlogs: Backlog[] = [
      { count: 0, oldestSince: null },
      { count: 1, oldestSince: new Date(NOW.getTime() + 5_000) },
    ];
    const { series } = gaugesReading(async () => backlogs.shift()!);

    expect(await series()).toEqual(['test_work_waiting 0', 'test_work_oldest_age_seconds 0']);
    expect(await series()).toEqual(['test_work_waiting 1', 'test_work_oldest_age_seconds 0']);
  });

  it('leaves both series out while the backlog cannot be read, warning once per outage', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let down = true;
    const { series } = gaugesReading(async () => {
      if (down) throw new Error('connection refused');
      return { count: 2, oldestSince: NOW };
    });

    expect(await series()).toEqual([]);
    expect(await series()).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('test work metrics left out: connection refused');

    down = false;
    expect(await series()).toEqual(['test_work_waiting 2', 'test_work_oldest_age_seconds 0']);
    down = true;
    await series();
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('takes both gauges out of the registry when removed', async () => {
    const { registry, gauges } = gaugesReading(async () => ({ count: 1, oldestSince: NOW }));

    gauges.remove();

    expect(registry.getSingleMetric('test_work_waiting')).toBeUndefined();
    expect(registry.getSingleMetric('test_work_oldest_age_seconds')).toBeUndefined();
  });
});
