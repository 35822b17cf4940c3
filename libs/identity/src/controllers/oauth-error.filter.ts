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
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TooManyLoginAttemptsError } from '../domain/credentials.errors.js';
import type { OAuthErrorCode, OAuthErrorResponseDto } from './dto/oauth-error.response.dto.js';
import { OAuthRequestError } from './oauth-request.error.js';

interface OAuthFailure {
  readonly status: number;
  readonly body: OAuthErrorResponseDto;
  readonly retryAfterSeconds?: number;
}

const failure = (status: number, error: OAuthErrorCode, description?: string): OAuthFailure => ({
  status,
  body: description === undefined ? { error } : { error, error_description: description },
});

/** Message of a framework HTTP exception (the validation pipe lists every field in it). */
function describe(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * Errors of the OAuth endpoints in RFC 6749 §5.2 form (`{error, error_description}`), which OAuth
 * client libraries understand; scoped to those controllers, so the rest of the API keeps
 * problem+json. Credentials and refresh-token failures are all `invalid_grant`, without saying
 * which check failed. Too many logins is 429 with Retry-After and `invalid_request` (RFC 6749 has
 * no rate-limit code; the status and header carry the meaning).
 */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuthErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body, retryAfterSeconds } = this.toOAuthFailure(exception);

    if (status >= 500) {
      this.logger.error(
        { err: exception, requestId: request.id, status },
        `token endpoint failed: ${exception instanceof Error ? exception.message : String(exception)}`,
      );
    }
    if (retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(retryAfterSeconds));
    void reply
      .status(status)
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  }

  private toOAuthFailure(exception: unknown): OAuthFailure {
    if (exception instanceof OAuthRequestError) {
      return failure(HttpStatus.BAD_REQUEST, exception.error, exception.description);
    }
    if (exception instanceof TooManyLoginAttemptsError) {
      return {
        ...failure(
          HttpStatus.TOO_MANY_REQUESTS,
          'invalid_request',
          'too many login attempts; retry later',
        ),
        retryAfterSeconds: exception.retryAfterSeconds,
      };
    }
    if (exception instanceof DomainError) {
      switch (exception.kind) {
        case 'unauthorized':
        case 'forbidden':
        case 'not_found':
          return failure(HttpStatus.BAD_REQUEST, 'invalid_grant', exception.message);
        case 'rate_limited':
          return failure(HttpStatus.TOO_MANY_REQUESTS, 'invalid_request', exception.message);
        default:
          return failure(HttpStatus.BAD_REQUEST, 'invalid_request', exception.message);
      }
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) return failure(status, 'server_error');
      // 4xx from the framework: validation (400), the global rate limit (429, Retry-After already
      // set by its guard), body too large (413)...: the request is at fault.
      return failure(status, 'invalid_request', describe(exception));
    }
    const fastifyStatus = (exception as { statusCode?: unknown } | undefined)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      return failure(fastifyStatus, 'invalid_request', (exception as Error).message);
    }
    // A slow or unreachable database, or a dependency marked transient: try again (ADR 0027).
    if (
      (exception as { transient?: unknown } | undefined)?.transient === true ||
      classifyDatabaseError(exception) === 'unavailable'
    ) {
      return {
        ...failure(HttpStatus.SERVICE_UNAVAILABLE, 'temporarily_unavailable', 'try again shortly'),
        retryAfterSeconds: 5,
      };
    }
    return failure(HttpStatus.INTERNAL_SERVER_ERROR, 'server_error');
  }
}
