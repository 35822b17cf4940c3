import type { MigrationInterface } from 'typeorm';

// TypeORM entity and migration classes are passed as classes (ESM has no glob loading).
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity targets
export type EntityClass = Function;
export type MigrationClass = new () => MigrationInterface;

export interface DatabaseFeature {
  /** The Postgres schema this context owns; its migrations are recorded in `<schema>.migrations`. */
  readonly schema: string;
  readonly entities: readonly EntityClass[];
  readonly migrations: readonly MigrationClass[];
  /**
   * Migrations renamed after a release applied them: current name → the name older databases
   * recorded. Lets a renamed migration count as applied instead of running a second time.
   */
  readonly renamedMigrations?: Readonly<Record<string, string>>;
}

/**
 * Contexts declare their persistence through `DatabaseModule.forFeature` when their module is
 * defined; the data source is built later from everything declared, so an app only picks modules.
 */
class DatabaseRegistry {
  private readonly registered = new Map<string, DatabaseFeature>();

  /** Features naming one schema share its migrations table, so they are kept as one. */
  register(feature: DatabaseFeature): void {
    const known = this.registered.get(feature.schema);
    this.registered.set(feature.schema, known ? mergeFeatures(known, feature) : feature);
  }

  get features(): DatabaseFeature[] {
    return [...this.registered.values()];
  }

  get schemas(): string[] {
    return [...this.registered.keys()];
  }

  get entities(): EntityClass[] {
    return this.features.flatMap((feature) => feature.entities);
  }
}

function mergeFeatures(known: DatabaseFeature, added: DatabaseFeature): DatabaseFeature {
  if (known === added) return known;
  return {
    schema: known.schema,
    entities: [...new Set([...known.entities, ...added.entities])],
    migrations: [...new Set([...known.migrations, ...added.migrations])],
    renamedMigrations: { ...known.renamedMigrations, ...added.renamedMigrations },
  };
}

export const databaseRegistry = new DatabaseRegistry();
