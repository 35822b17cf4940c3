import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { classifyDatabaseError } from '#lib/database';
import { DomainError } from '#lib/kernel';
import { toRpcErrorPayload } from '#lib/messaging';
import { type Observable, throwError } from 'rxjs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  genericProblem,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  problemType,
  STATUS_BY_DOMAIN_KIND,
} from '#lib/http-problems';
import { RequestValidationException } from './request-validation.exception.js';
import { isTransientFailure, TRANSIENT_RETRY_AFTER_SECONDS } from './transient-failure.js';

/** Errors Fastify raises before a handler runs (body parsing, limits) carry their own 4xx status. */
interface FastifyError extends Error {
  statusCode?: number;
  code?: string;
}

/**
 * The service a transient error names in its `dependency` (e.g. orders' CatalogUnavailableError:
 * `catalog`), so a client and an operator see which part of the system is down. Only a plain
 * lower-case name: the message of the error itself never reaches the client.
 */
function namedDependency(error: unknown): string | undefined {
  const dependency = (error as { dependency?: unknown }).dependency;
  return typeof dependency === 'string' && /^[a-z][a-z0-9-]{0,40}$/.test(dependency)
    ? dependency
    : undefined;
}

/**
 * Every HTTP error leaves as application/problem+json (RFC 7807) with a stable code. Messages of
 * unexpected errors never reach the client (no stack, no SQL); they are logged with the request id.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Message handlers share the global filters (inheritAppConfig): they answer with the typed
    // RPC error payload, which is what a broker reply can carry.
    if (host.getType() === 'rpc') return throwError(() => toRpcErrorPayload(exception));
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    this.reply(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }

  /**
   * Sends the problem for `exception`. Also called directly for the errors Fastify raises before
   * Nest sees a request (a path that is not valid percent-encoding), which reach no filter.
   */
  reply(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const problem = this.toProblem(exception);
    problem.instance = request.url.split('?')[0];
    problem.requestId = String(request.id);

    if (problem.status >= 500) {
      this.logger.error(
        { err: exception, requestId: request.id, status: problem.status },
        `request failed: ${exception instanceof Error ? exception.message : String(exception)}`,
      );
    }
    if (
      problem.status === Number(HttpStatus.SERVICE_UNAVAILABLE) &&
      !reply.hasHeader('retry-after')
    ) {
      void reply.header('retry-after', String(TRANSIENT_RETRY_AFTER_SECONDS));
    }
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof RequestValidationException) {
      return {
        ...this.generic(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'Request validation failed'),
        detail: 'One or more fields are invalid',
        errors: exception.violations,
      };
    }
    if (exception instanceof DomainError) {
      const status = STATUS_BY_DOMAIN_KIND[exception.kind];
      return {
        ...this.generic(status, exception.code, genericProblem(status).title),
        detail: exception.message,
        ...(exception.details ?? {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const { code, title } = genericProblem(status);
      return { ...this.generic(status, code, title), detail: this.safeDetail(exception, status) };
    }
    const fastifyStatus = (exception as FastifyError | undefined)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      const { code, title } = genericProblem(fastifyStatus);
      return { ...this.generic(fastifyStatus, code, title), detail: (exception as Error).message };
    }
    if (classifyDatabaseError(exception) === 'invalid-value') {
      // A value Postgres refused as data came from the request: a client error, whatever route
      // let it through. The database's message may quote the value, so it stays in the log.
      this.logger.warn({ err: exception }, 'the database refused a value of the request');
      return {
        ...this.generic(HttpStatus.BAD_REQUEST, 'INVALID_VALUE', 'Invalid value'),
        detail: 'A value in the request is out of range or not valid text',
      };
    }
    if (isTransientFailure(exception)) {
      const { code, title } = genericProblem(HttpStatus.SERVICE_UNAVAILABLE);
      const dependency = namedDependency(exception);
      return dependency === undefined
        ? this.generic(HttpStatus.SERVICE_UNAVAILABLE, code, title)
        : {
            ...this.generic(HttpStatus.SERVICE_UNAVAILABLE, code, title),
            detail: `the ${dependency} service is not answering; try again shortly`,
            dependency,
          };
    }
    const { code, title } = genericProblem(HttpStatus.INTERNAL_SERVER_ERROR);
    return this.generic(HttpStatus.INTERNAL_SERVER_ERROR, code, title);
  }

  private generic(status: number, code: string, title: string): ProblemDetails {
    return { type: problemType(code), title, status, code };
  }

  private safeDetail(exception: HttpException, status: number): string | undefined {
    if (status >= 500) return undefined;
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : exception.message;
  }
}
