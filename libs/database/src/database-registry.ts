import type { MigrationInterface } from 'typeorm';

// TypeORM entity and migration classes are passed as classes (ESM has no glob loading).
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity targets
export type EntityClass = Function;
export type MigrationClass = new () => MigrationInterface;

export interface DatabaseFeature {
  /** The Postgres schema this context owns. */
  readonly schema: string;
  readonly entities: readonly EntityClass[];
  readonly migrations: readonly MigrationClass[];
}

/**
 * Contexts declare their persistence through `DatabaseModule.forFeature` when their module is
 * defined; the data source is built later from everything declared, so an app only picks modules.
 */
class DatabaseRegistry {
  private readonly features = new Map<string, DatabaseFeature>();

  register(feature: DatabaseFeature): void {
    this.features.set(feature.schema, feature);
  }

  get schemas(): string[] {
    return [...this.features.keys()];
  }

  get entities(): EntityClass[] {
    return [...this.features.values()].flatMap((feature) => feature.entities);
  }

  get migrations(): MigrationClass[] {
    return [...this.features.values()].flatMap((feature) => feature.migrations);
  }
}

export const databaseRegistry = new DatabaseRegistry();
