import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseConnection } from '#lib/database';
import { DataSource } from 'typeorm';

const CHECK_TIMEOUT_MS = 1_500;

@Injectable()
export class PostgresHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly connection: DatabaseConnection,
  ) {}

  check() {
    return this.indicators
      .check('postgres')
      .attempt(async () => {
        if (!this.connection.isConnected) throw new Error('not connected');
        if (!this.connection.isReady) throw new Error('migrations not applied yet');
        await this.dataSource.query('SELECT 1');
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }
}
