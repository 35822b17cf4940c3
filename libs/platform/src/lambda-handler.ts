import type awsLambdaFastify from '@fastify/aws-lambda';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Configuration, ServiceConfig } from '#lib/config';
import { Logger } from 'nestjs-pino';
import { createHttpApp, type HttpAppDefinition } from './bootstrap-http-app.js';

/**
 * An API Gateway (REST or HTTP API, payload 1.0 or 2.0) or ALB proxy event. The adapter reads the
 * fields it needs (`rawPath`/`path`, `requestContext`, `headers`, `body`, ...) by itself.
 */
export type LambdaHttpEvent = Readonly<Record<string, unknown>>;

/** The Lambda context object; the app does not read it (no `awsLambda` request decoration). */
export type LambdaContext = object;

/** The proxy response API Gateway and ALB expect. */
export type LambdaHttpResponse = awsLambdaFastify.LambdaResponse;

export type LambdaHttpHandler = (
  event: LambdaHttpEvent,
  context: LambdaContext,
) => Promise<LambdaHttpResponse>;

/**
 * Content types API Gateway must receive base64-encoded. The API answers JSON and text; only
 * swagger-ui's assets and a future file download are binary. Compressed bodies are detected by
 * the adapter from `content-encoding`.
 */
const BINARY_MIME_TYPES = ['application/octet-stream', 'image/png', 'image/x-icon'];

const READINESS_PATH = '/health/ready';
const READINESS_POLL_MS = 25;

export interface LambdaHandlerOptions {
  /**
   * How long initialisation waits for `/health/ready` (Postgres, Redis, ...) before serving
   * anyway. Lambda has no readiness probe to hold traffic back, and its init phase is capped at
   * 10 s, so the default stays well below that.
   */
  readonly readyTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the app's own readiness endpoint in memory; true once it answers 200. */
async function waitUntilReady(app: NestFastifyApplication, timeoutMs: number): Promise<boolean> {
  const fastify = app.getHttpAdapter().getInstance();
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const response = await fastify.inject({ method: 'GET', url: READINESS_PATH });
    if (response.statusCode === 200) return true;
    if (performance.now() >= deadline) return false;
    await sleep(READINESS_POLL_MS);
  }
}

/**
 * Builds the same app as `bootstrapHttpApp` (pipes, filters, security, OpenAPI, messaging) without
 * listening, and returns a Lambda handler that injects each event into Fastify in memory.
 * Initialisation waits (bounded) until the app's readiness endpoint answers 200.
 * Call it once per container, at import time (see apps/monolith/src/lambda.ts): warm invocations
 * then reuse the app, its database pool and its Redis connections.
 *
 * No SIGTERM handler is installed: Lambda only signals the runtime when an extension is registered,
 * and it freezes and discards environments on its own schedule (docs/adr/0015-lambda-handler.md).
 */
export async function createLambdaHandler(
  config: Configuration,
  definition: HttpAppDefinition,
  { readyTimeoutMs = 5_000 }: LambdaHandlerOptions = {},
): Promise<LambdaHttpHandler> {
  const app = await createHttpApp(config, definition);
  await app.init();
  // Hybrid app: the in-process transport's handlers start after init, as with listen().
  await app.startAllMicroservices();
  const fastify = app.getHttpAdapter().getInstance();
  // Loads Fastify's plugins now, during Lambda's init phase, rather than on the first request.
  await fastify.ready();
  // The database and Redis connect in the background (docs/adr/0004): behind a load balancer the
  // readiness probe holds traffic back meanwhile; here the first invocation would be the probe.
  const logger = app.get(Logger);
  if (await waitUntilReady(app, readyTimeoutMs)) {
    logger.log(`${config.get(ServiceConfig).name} ready for Lambda invocations`, 'Bootstrap');
  } else {
    // Same stance as a server process (docs/adr/0004): stay up rather than fail the container.
    logger.warn(
      `${READINESS_PATH} still failing after ${readyTimeoutMs} ms; serving anyway`,
      'Bootstrap',
    );
  }
  // Imported here: every HTTP app imports this library, and only a Lambda entry point needs it.
  const { default: lambdaAdapter } = await import('@fastify/aws-lambda');
  const handler = lambdaAdapter<LambdaHttpEvent>(fastify, {
    // The request decoration is added at plugin time, which init() has closed; nothing reads it.
    decorateRequest: false,
    binaryMimeTypes: BINARY_MIME_TYPES,
  });
  return (event, context) => handler(event, context);
}
