import { type ClaimOutcome, LEASE_GROWTH_MS, MAX_LEASE, TokenLeases } from './token-leases.js';

const MINUTE = 60_000;

function leasesAt(start = 1_000_000) {
  let now = start;
  return { leases: new TokenLeases(() => now), advance: (ms: number) => (now += ms) };
}

/** What Redis would answer to a claim of `granted` hits that brought the key to `totalHits`. */
const granted = (granted: number, totalHits: number, msToExpire = MINUTE): ClaimOutcome => ({
  totalHits,
  msToExpire,
  blocked: false,
  msToBlockExpire: 0,
  granted,
});

describe('TokenLeases', () => {
  it('claims one hit for a key it has not seen, so a quiet key is counted exactly', () => {
    const { leases } = leasesAt();
    expect(leases.spend('k')).toBeUndefined();
    expect(leases.nextClaimSize('k', 1000)).toBe(1);
  });

  it('answers the claiming request from the grant and admits the rest without Redis', () => {
    const { leases } = leasesAt();
    expect(leases.claimed('k', 4, granted(4, 10))).toEqual({
      totalHits: 7,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    expect([leases.spend('k'), leases.spend('k'), leases.spend('k')]).toMatchObject([
      { totalHits: 8, isBlocked: false },
      { totalHits: 9, isBlocked: false },
      { totalHits: 10, isBlocked: false },
    ]);
    expect(leases.spend('k')).toBeUndefined();
  });

  it('doubles a lease used up quickly, up to 5 % of the limit', () => {
    const { leases } = leasesAt();
    let size = 1;
    const sizes = [];
    for (let claim = 0; claim < 6; claim += 1) {
      leases.claimed('k', size, granted(size, 100));
      while (leases.spend('k') !== undefined);
      size = leases.nextClaimSize('k', 200);
      sizes.push(size);
    }
    expect(sizes).toEqual([2, 4, 8, 10, 10, 10]);
  });

  it('never leases more than MAX_LEASE hits, however high the limit', () => {
    const { leases } = leasesAt();
    leases.claimed('k', MAX_LEASE, granted(MAX_LEASE, MAX_LEASE));
    while (leases.spend('k') !== undefined);
    expect(leases.nextClaimSize('k', 1e9)).toBe(MAX_LEASE);
  });

  it('goes back to one hit per claim when the key slows down', () => {
    const { leases, advance } = leasesAt();
    leases.claimed('k', 8, granted(8, 8));
    while (leases.spend('k') !== undefined);
    advance(LEASE_GROWTH_MS);
    expect(leases.nextClaimSize('k', 1000)).toBe(1);
  });

  it('keeps one hit per claim below a limit of 40, where 5 % is under two hits', () => {
    const { leases } = leasesAt();
    leases.claimed('k', 1, granted(1, 1));
    expect(leases.nextClaimSize('k', 39)).toBe(1);
  });

  it('drops the tokens of a window that ended', () => {
    const { leases, advance } = leasesAt();
    leases.claimed('k', 5, granted(5, 5, 1000));
    advance(1000);
    expect(leases.spend('k')).toBeUndefined();
    expect(leases.nextClaimSize('k', 1000)).toBe(1);
  });

  it('remembers a refusal until Redis said it ends, then asks again', () => {
    const { leases, advance } = leasesAt();
    const refused = leases.claimed('k', 1, {
      totalHits: 11,
      msToExpire: 4000,
      blocked: true,
      msToBlockExpire: 4000,
      granted: 0,
    });
    expect(refused).toEqual({
      totalHits: 11,
      timeToExpire: 4,
      isBlocked: true,
      timeToBlockExpire: 4,
    });
    advance(3000);
    expect(leases.spend('k')).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    advance(1000);
    expect(leases.spend('k')).toBeUndefined();
  });

  it('keeps at most its key budget, dropping ended windows first, then the oldest', () => {
    let now = 0;
    const leases = new TokenLeases(() => now, 2);
    leases.claimed('ended', 3, granted(3, 3, 10));
    leases.claimed('live', 3, granted(3, 3));
    now = 10;
    leases.claimed('new', 3, granted(3, 3));
    expect(leases.spend('live')).toMatchObject({ isBlocked: false });
    leases.claimed('newer', 3, granted(3, 3));
    expect(leases.spend('live')).toBeUndefined();
    expect(leases.spend('newer')).toMatchObject({ isBlocked: false });
  });
});
