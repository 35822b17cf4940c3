import { type Type, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type Configuration,
  configurationOrExit,
  HttpConfig,
  ServiceConfig,
  ShutdownConfig,
} from '#lib/config';
import { connectMessagingTransport } from '#lib/messaging';
import { ReadinessState } from '#lib/health';
import {
  attachObservability,
  HttpMetrics,
  LIVENESS_ROUTE,
  REQUEST_ID_HEADER,
  requestIdAdapterOptions,
  resolveRequestId,
  shutdownTracing,
} from '#lib/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { problemClientErrorHandler } from './client-error-answer.js';
import { fastifyTrustProxy } from './fastify-trust-proxy.js';
import { installGracefulShutdown } from './graceful-shutdown.js';
import { limitJsonNesting } from './json-nesting-limit.js';
import { lingerOnClose } from './lingering-close.js';
import { LivenessFastPath } from './liveness-fast-path.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { answerLivenessOutsideNest } from './liveness-outside-nest.js';
import { registerSecurity } from './register-security.js';
import { securityHeaderSets } from './security-headers.js';
import { createRequestValidationPipe } from './request-validation.pipe.js';
import { servesDocs, setupOpenApi } from './setup-open-api.js';

export interface HttpAppDefinition {
  /** Title of the OpenAPI document. */
  readonly title: string;
  /** The app's root module, a composition of PlatformModule and contexts. */
  readonly module: Type<unknown>;
}

/**
 * Builds the Fastify-based Nest app with every cross-cutting concern, without listening.
 * An entry point may have read `config` before importing the app module (tracing has to start
 * first); the module has declared its contexts' sections since, so all are validated here again,
 * before anything starts.
 */
export async function createHttpApp(
  config: Configuration,
  definition: HttpAppDefinition,
): Promise<NestFastifyApplication> {
  configurationOrExit();
  const http = config.get(HttpConfig);
  const problems = new ProblemDetailsFilter();
  // Every answer gets helmet's headers from here, refusals made before any hook runs included.
  const env = config.get(ServiceConfig).env;
  const securityHeaders = await securityHeaderSets({ docs: servesDocs(env) });
  const liveness = new LivenessFastPath(LIVENESS_ROUTE, securityHeaders.api, {
    header: REQUEST_ID_HEADER,
    resolve: resolveRequestId,
  });
  const adapter = new FastifyAdapter({
    serverFactory: liveness.serverFactory,
    bodyLimit: http.bodyLimitBytes,
    // Router errors (a path that is not valid percent-encoding) are problem+json too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      problems.reply(error, request, reply.headers(securityHeaders.api)),
    // And so are the requests Node's HTTP parser refuses (bad request line, oversized headers).
    clientErrorHandler: problemClientErrorHandler(securityHeaders.api),
    trustProxy: fastifyTrustProxy(http.trustProxy),
    ...requestIdAdapterOptions(),
  });
  const app = await NestFactory.create<NestFastifyApplication>(definition.module, adapter, {
    bufferLogs: true,
  });
  attachObservability(app);
  enableLivenessFastPath(app, liveness);
  lingerOnClose(app.getHttpServer());
  await registerSecurity(app, http, securityHeaders);
  // Nest registers its routes at init (listen), after this.
  answerLivenessOutsideNest(app.getHttpAdapter().getInstance(), LIVENESS_ROUTE);
  app.enableVersioning({ type: VersioningType.URI });
  limitJsonNesting(app);
  app.useGlobalPipes(createRequestValidationPipe());
  app.useGlobalFilters(problems);
  setupOpenApi(app, definition.title, env);
  // After the global pipes and filters: Nest builds message handlers here, with inheritAppConfig.
  connectMessagingTransport(app);
  return app;
}

function enableLivenessFastPath(app: NestFastifyApplication, liveness: LivenessFastPath): void {
  const metrics = app.get(HttpMetrics);
  const readiness = app.get(ReadinessState);
  liveness.enable({
    record: (durationSeconds) =>
      metrics.record({ method: 'GET', route: LIVENESS_ROUTE, statusCode: 200, durationSeconds }),
    isDraining: () => readiness.isShuttingDown,
  });
}

/** What every HTTP app's main.ts calls: create, install graceful shutdown, listen. */
export async function bootstrapHttpApp(
  config: Configuration,
  definition: HttpAppDefinition,
): Promise<NestFastifyApplication> {
  const app = await createHttpApp(config, definition);
  const logger = app.get(Logger);
  installGracefulShutdown(app, config.get(ShutdownConfig), logger, shutdownTracing);
  const { port, host } = config.get(HttpConfig);
  await app.listen({ port, host });
  // Hybrid app: message handlers start after HTTP is up (Nest requires listen/init first).
  await app.startAllMicroservices();
  logger.log(`${config.get(ServiceConfig).name} listening on ${await app.getUrl()}`, 'Bootstrap');
  return app;
}
