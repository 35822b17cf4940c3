import { QueryFailedError } from 'typeorm';
import { classifyDatabaseError } from './database-error-classification.js';

/** A pg DatabaseError as the driver raises it, wrapped the way TypeORM wraps it. */
const queryFailed = (code: string): QueryFailedError =>
  new QueryFailedError('SELECT 1', [], Object.assign(new Error('from postgres'), { code }));

describe('classifyDatabaseError', () => {
  it.each([
    ['57014', 'a statement timeout'],
    ['55P03', 'a lock timeout'],
    ['53300', 'too many connections'],
    ['57P03', 'a database that is starting up'],
    ['08006', 'a connection failure'],
    ['40001', 'a serialization failure'],
  ])('calls SQLSTATE %s (%s) unavailable', (code) => {
    expect(classifyDatabaseError(queryFailed(code))).toBe('unavailable');
  });

  it('calls a pool that hands out no connection in time unavailable', () => {
    expect(classifyDatabaseError(new Error('timeout exceeded when trying to connect'))).toBe(
      'unavailable',
    );
    expect(
      classifyDatabaseError(new Error('Connection terminated due to connection timeout')),
    ).toBe('unavailable');
  });

  it('calls a connection the server dropped in the middle of a query unavailable', () => {
    const dropped = new QueryFailedError(
      'INSERT INTO orders.idempotency_keys ...',
      [],
      new Error('Connection terminated unexpectedly'),
    );
    expect(classifyDatabaseError(dropped)).toBe('unavailable');
  });

  it.each([
    ['22021', 'a NUL byte in text'],
    ['22008', 'a date out of range'],
    ['22007', 'a malformed date'],
    ['22P02', 'malformed input syntax'],
  ])('calls SQLSTATE %s (%s) an invalid value', (code) => {
    expect(classifyDatabaseError(queryFailed(code))).toBe('invalid-value');
  });

  it.each([
    ['a unique violation', queryFailed('23505')],
    ['a missing table', queryFailed('42P01')],
    ['an error of another library', Object.assign(new Error('EPIPE'), { code: 'EPIPE' })],
    ['a thrown string', 'timeout exceeded when trying to connect'],
  ])('leaves %s unclassified', (_name, error) => {
    expect(classifyDatabaseError(error)).toBeUndefined();
  });
});
