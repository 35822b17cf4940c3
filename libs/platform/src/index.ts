export { bootstrapHttpApp, createHttpApp, type HttpAppDefinition } from './bootstrap-http-app.js';
export { installGracefulShutdown } from './graceful-shutdown.js';
export {
  createLambdaHandler,
  type LambdaContext,
  type LambdaHttpEvent,
  type LambdaHttpHandler,
  type LambdaHandlerOptions,
  type LambdaHttpResponse,
} from './lambda-handler.js';
export { createOpenApiDocument } from './open-api/create-open-api-document.js';
export { PlatformModule } from './platform.module.js';
export { runMigrationsCommand } from './run-migrations-command.js';
export { ProblemDetailsFilter } from './problem-details.filter.js';
export { RequestValidationException } from './request-validation.exception.js';
