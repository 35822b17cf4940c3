export { type EmitOptions, MessagingClient, type SendOptions } from './client/messaging.client.js';
export { connectMessagingTransport } from './connect-messaging-transport.js';
export { type ConsumeOutcome, IdempotentConsumer } from './consumer/idempotent-consumer.js';
export { type Correlation, CorrelationScope } from './correlation/correlation-scope.js';
export { type MessageMetadata } from './correlation/message-metadata.js';
export { runInContinuedTrace } from './correlation/trace-context.js';
export {
  DeadLetterAdmin,
  type DeadLetterSummary,
  type ReplayOutcome,
} from './delivery/dead-letter-admin.js';
export { type DeadLetter, DeadLetterStore } from './delivery/dead-letter.store.js';
export { TypeormDeadLetterStore } from './delivery/dead-letter.typeorm-store.js';
export {
  type ClaimedDeliveryRetry,
  type DeliveryRetry,
  DeliveryRetryStore,
} from './delivery/delivery-retry.store.js';
export { TypeormDeliveryRetryStore } from './delivery/delivery-retry.typeorm-store.js';
export {
  DEFAULT_DELIVERY_RETRY_WORKER_OPTIONS,
  DeliveryRetryWorker,
  type DeliveryRetryWorkerOptions,
} from './delivery/delivery-retry.worker.js';
export {
  type DefaultDeliveryPolicy,
  type DeliveryOutcome,
  EventDispatcher,
  type EventDispatcherOptions,
} from './delivery/event-dispatcher.js';
export { HANDLER_IN_FLIGHT_METRIC, HandlerBulkhead } from './delivery/handler-bulkhead.js';
export {
  DeliveryPolicy,
  type DeliveryPolicyOptions,
  type ResolvedDeliveryPolicy,
  SAGA_STEP_RETRIES,
} from './delivery/delivery-policy.decorator.js';
export { createEnvelope, type EnvelopeOptions } from './envelope/create-envelope.js';
export { RpcError } from './errors/rpc-error.js';
export { RpcErrorInterceptor } from './errors/rpc-error.interceptor.js';
export {
  interceptMessageHandlers,
  MESSAGE_HANDLER_INTERCEPTORS,
} from './message-handler-interceptors.js';
export { toRpcErrorPayload } from './errors/to-rpc-error-payload.js';
export {
  DEFAULT_RPC_TIMEOUT_MS,
  MESSAGING_OPTIONS,
  MESSAGING_OWNER,
  type MessagingModuleOptions,
  type MessagingTransportName,
  type OutboxRelayOptions,
  resolveMessagingOptions,
  resolveOutboxRelayOptions,
} from './messaging-options.js';
export {
  DEAD_LETTERS_METRIC,
  DELIVERY_RETRIES_METRIC,
  MessagingBacklogMetrics,
  OLDEST_DELIVERY_RETRY_AGE_METRIC,
  OUTBOX_OLDEST_PENDING_AGE_METRIC,
  OUTBOX_PENDING_METRIC,
} from './maintenance/messaging-backlog.metrics.js';
export {
  DEFAULT_BACKLOG_QUERY_TIMEOUT_MS,
  type MessagingBacklog,
  MessagingBacklogReader,
} from './maintenance/messaging-backlog.reader.js';
export { type CommandOutput, runDeadLettersCommand } from './maintenance/dead-letters.command.js';
export {
  MessagingRetentionJob,
  type RetentionPass,
} from './maintenance/messaging-retention.job.js';
export {
  DEFAULT_MESSAGING_RETENTION,
  MESSAGING_RETENTION_OPTIONS,
  type MessagingMaintenanceOptions,
  type MessagingRetentionOptions,
  type ResolvedMessagingRetentionOptions,
  resolveMessagingRetentionOptions,
} from './maintenance/messaging-retention.options.js';
export {
  MessagingModule,
  type MessagingModuleAsyncOptions,
  type MessagingModuleSettings,
} from './messaging.module.js';
export { type MessagingTable, MessagingSchemas } from './tables/messaging-schemas.js';
export {
  hasMessagingTables,
  messagingTablesMigration,
} from './tables/messaging-tables.migration.js';
export { outboxClaimIndexMigration } from './tables/outbox-claim-index.migration.js';
export { dropOutboxDueIndexMigration } from './tables/outbox-due-index-drop.migration.js';
export { EventPublisher } from './outbox/event-publisher.js';
export { OutboxEventPublisher } from './outbox/outbox.event-publisher.js';
export { OutboxRelay } from './outbox/outbox.relay.js';
export { type OutboxRelayHooks } from './outbox/outbox-relay.hooks.js';
export {
  OUTBOX_PUBLISH_FAILURES_METRIC,
  OUTBOX_PUBLISHED_METRIC,
  OutboxRelayMetrics,
} from './outbox/outbox-relay.metrics.js';
export { InProcessBus } from './transport/in-process-bus.js';
export { InProcessClient } from './transport/in-process.client.js';
export { MessageContext } from './delivery/message.context.js';
export {
  IN_PROCESS_TRANSPORT,
  InProcessServer,
  type InProcessServerOptions,
} from './transport/in-process.server.js';
export {
  InProcessTransport,
  type InProcessTransportOptions,
} from './transport/in-process.transport.js';
export { MessagingTransport } from './transport/messaging-transport.js';
export { RMQ_HEADERS } from './transport/rmq/rmq-packet.serializer.js';
export {
  DEFAULT_RMQ_EXCHANGE,
  resolveRmqTransportOptions,
  type RmqTransportOptions,
  RmqTopology,
} from './transport/rmq/rmq-topology.js';
export { RmqClient } from './transport/rmq/rmq.client.js';
export { RmqTransport } from './transport/rmq/rmq.transport.js';
export { MessageTracingInterceptor } from './tracing/message-tracing.interceptor.js';
export { EventEnvelopePipe } from './validation/event-envelope.pipe.js';
export { MessagePayloadPipe } from './validation/message-payload.pipe.js';
