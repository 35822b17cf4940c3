// The one testing kit shared by every context's unit specs and the integration suites. Imported
// only from *.spec.ts files, testing/ folders and test/ (.dependency-cruiser.cjs), never shipped.
export { ImmediateUnitOfWork } from './immediate.unit-of-work.js';
export { InMemoryIdempotentConsumer } from './in-memory.idempotent-consumer.js';
export { MANUAL_CLOCK_START, ManualClock } from './manual.clock.js';
export { RecordingEventPublisher } from './recording.event-publisher.js';
export { type RestorableStore, RollbackUnitOfWork } from './rollback.unit-of-work.js';
export { openTestDataSource, type TestDataSourceOptions } from './test-data-source.js';
export { testTracing } from './test-tracing.js';
export type { UnitOfWorkShape } from './unit-of-work.js';
