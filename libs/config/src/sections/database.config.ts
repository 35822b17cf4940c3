import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';
import { defineConfigSection } from '../config-section.js';
import { toList } from '../environment-transforms.js';
import { IntegerVariable, BooleanVariable } from '../environment-variable.decorators.js';

const POSTGRES_URL = /^postgres(ql)?:\/\/[^\s/]+(:\d+)?\/[^\s/?]+(\?\S*)?$/;

class DatabaseVariables {
  @Matches(POSTGRES_URL, {
    message: 'DATABASE_URL must be a postgres:// URL such as postgres://user@host:5432/dbname',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/commerce';

  @IntegerVariable({ min: 1, max: 200 })
  DATABASE_POOL_MAX = 10;

  @IntegerVariable({ min: 100 })
  DATABASE_CONNECT_TIMEOUT_MS = 3000;

  @IntegerVariable({ min: 100 })
  DATABASE_STATEMENT_TIMEOUT_MS = 10_000;

  @BooleanVariable()
  DATABASE_RUN_MIGRATIONS = true;

  /** Streaming replicas for read-only queries, comma-separated; empty: every query on the primary. */
  @Transform(toList)
  @Matches(POSTGRES_URL, {
    each: true,
    message:
      'DATABASE_READ_REPLICA_URLS must be a comma-separated list of postgres:// URLs such as postgres://user@replica:5432/dbname',
  })
  DATABASE_READ_REPLICA_URLS: string[] = [];
}

/** PostgreSQL: the connection, its pool and timeouts, and whether this process migrates on start. */
export abstract class DatabaseConfig {
  abstract readonly url: string;
  abstract readonly poolMax: number;
  abstract readonly connectTimeoutMs: number;
  abstract readonly statementTimeoutMs: number;
  abstract readonly runMigrations: boolean;
  /** Replicas that read-only queries may use (ReadReplicas); empty: primary only. */
  abstract readonly readReplicaUrls: readonly string[];
}

export const databaseConfig = defineConfigSection({
  name: 'database',
  variables: DatabaseVariables,
  settings: DatabaseConfig,
  secrets: ['DATABASE_URL', 'DATABASE_READ_REPLICA_URLS'],
  build: (variables): DatabaseConfig => ({
    url: variables.DATABASE_URL,
    poolMax: variables.DATABASE_POOL_MAX,
    connectTimeoutMs: variables.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: variables.DATABASE_STATEMENT_TIMEOUT_MS,
    runMigrations: variables.DATABASE_RUN_MIGRATIONS,
    readReplicaUrls: variables.DATABASE_READ_REPLICA_URLS,
  }),
});
