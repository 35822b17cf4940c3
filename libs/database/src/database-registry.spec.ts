import type { MigrationInterface } from 'typeorm';
import { databaseRegistry, type DatabaseFeature } from './database-registry.js';

class CreateOutbox1700000000000 implements MigrationInterface {
  async up(): Promise<void> {}
  async down(): Promise<void> {}
}
class CreateOrders1700000100000 implements MigrationInterface {
  async up(): Promise<void> {}
  async down(): Promise<void> {}
}

describe('databaseRegistry', () => {
  it('keeps every migration of two features that name the same schema', () => {
    const messaging: DatabaseFeature = {
      schema: 'registry_spec',
      entities: [],
      migrations: [CreateOutbox1700000000000],
    };
    const orders: DatabaseFeature = {
      schema: 'registry_spec',
      entities: [],
      migrations: [CreateOrders1700000100000],
      renamedMigrations: { CreateOrders1700000100000: 'CreateOrders1600000000000' },
    };

    databaseRegistry.register(messaging);
    databaseRegistry.register(orders);
    databaseRegistry.register(orders);

    expect(databaseRegistry.features.filter((f) => f.schema === 'registry_spec')).toEqual([
      {
        schema: 'registry_spec',
        entities: [],
        migrations: [CreateOutbox1700000000000, CreateOrders1700000100000],
        renamedMigrations: { CreateOrders1700000100000: 'CreateOrders1600000000000' },
      },
    ]);
  });
});
