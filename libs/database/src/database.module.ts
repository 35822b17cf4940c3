import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DatabaseConfig, ServiceConfig } from '#lib/config';
import { DataSource } from 'typeorm';
import { createDataSource } from './create-data-source.js';
import { DatabaseConnection } from './database-connection.js';
import { type DatabaseFeature, databaseRegistry } from './database-registry.js';
import { ReadReplica, replicaName } from './read-replica.js';
import { ReadReplicas } from './read-replicas.js';
import { TransactionRunner } from './transaction-runner.js';

@Global()
@Module({})
export class DatabaseModule {
  /** Once per app: the data source built from every feature the app's contexts declared. */
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          useFactory: createDataSource,
          inject: [DatabaseConfig, ServiceConfig],
        },
        DatabaseConnection,
        TransactionRunner,
        {
          provide: ReadReplicas,
          useFactory: (
            transactions: TransactionRunner,
            database: DatabaseConfig,
            service: ServiceConfig,
          ): ReadReplicas =>
            new ReadReplicas(
              transactions,
              database.readReplicaUrls.map(
                (url) =>
                  new ReadReplica(replicaName(url), createDataSource(database, service, url)),
              ),
            ),
          inject: [TransactionRunner, DatabaseConfig, ServiceConfig],
        },
      ],
      exports: [DataSource, DatabaseConnection, TransactionRunner, ReadReplicas],
    };
  }

  /** In a context's module: declares its schema, entities and migrations. */
  static forFeature(feature: DatabaseFeature): DynamicModule {
    databaseRegistry.register(feature);
    return { module: DatabaseFeatureModule, global: false };
  }
}

@Module({})
class DatabaseFeatureModule {}
