import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';

/** The SDK's span processor and finished-span types, as the SDK's own options name them. */
export type SpanProcessor = NonNullable<NodeSDKConfiguration['spanProcessors']>[number];
export type FinishedSpan = Parameters<SpanProcessor['onEnd']>[0];

/** Keeps every finished span in memory, for tests to read (the SDK's InMemorySpanExporter, inline). */
export class RecordingSpanProcessor implements SpanProcessor {
  readonly spans: FinishedSpan[] = [];

  onStart(): void {}

  onEnd(span: FinishedSpan): void {
    this.spans.push(span);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
