import pg from 'pg';
import { Shop } from '../../e2e/orders-shop.js';
import { createThrowawayDatabase } from '../../integration/saga/throwaway-database.js';
import type { SplitStack, SplitStackOptions } from '../split-stack.js';

/** `npm run test:reliability` sets FULL_SUITES=1: the full sizes; CI runs the fast ones. */
export const fullSuites = (): boolean => process.env.FULL_SUITES === '1';

/** The fast subset's figure, or the full run's: same assertions, smaller counts and durations. */
export const sized = <T>(fast: T, full: T): T => (fullSuites() ? full : fast);

/** The split stack a fault suite drives, on a database of its own that it reconciles after. */
export interface ReliabilityShop {
  readonly shop: Shop;
  readonly stack: SplitStack;
  /** The stack's own database, for the reconciliation (suite 9) and the suite's own checks. */
  readonly database: pg.Pool;
  readonly databaseUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the five apps behind the gateway (the `reliability` jest project runs in split mode) on
 * a throwaway database of the shared PostgreSQL, or on `DATABASE_URL` when `env` names one (a
 * private PostgreSQL the suite takes down). Every other override (REDIS_URL, RABBITMQ_URL...) goes
 * to all five apps.
 */
export async function openReliabilityShop(
  label: string,
  env: Record<string, string> = {},
  options: SplitStackOptions = {},
): Promise<ReliabilityShop> {
  const throwaway =
    env.DATABASE_URL === undefined ? await createThrowawayDatabase(label) : undefined;
  const databaseUrl = env.DATABASE_URL ?? throwaway?.url ?? '';
  let shop: Shop | undefined;
  try {
    shop = await Shop.open({ ...env, DATABASE_URL: databaseUrl }, options);
    if (!('restartApp' in shop.app)) throw new Error('fault suites need the split stack');
  } catch (error) {
    await shop?.close();
    await throwaway?.drop();
    throw error;
  }
  const database = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  // A private PostgreSQL going down ends idle connections: the pool reconnects on the next query.
  database.on('error', () => undefined);
  const opened = shop;
  return {
    shop: opened,
    stack: opened.app as SplitStack,
    database,
    databaseUrl,
    async close() {
      await opened.close();
      await database.end();
      await throwaway?.drop();
    },
  };
}
