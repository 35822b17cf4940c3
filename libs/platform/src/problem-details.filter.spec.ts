import {
  type ArgumentsHost,
  ForbiddenException,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '#lib/kernel';
import { plainToInstance } from 'class-transformer';
import { QueryFailedError } from 'typeorm';
import { IsEmail, IsInt, Min, ValidateNested, validateSync } from 'class-validator';
import { Type } from 'class-transformer';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import type { ProblemDetails } from '#lib/http-problems';
import { RequestValidationException } from './request-validation.exception.js';

class FakeReply {
  statusCode = 200;
  readonly headers: Record<string, string> = {};
  body: unknown;
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  header(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  hasHeader(name: string) {
    return name.toLowerCase() in this.headers;
  }
  send(body: unknown) {
    this.body = body;
    return this;
  }
}

function render(exception: unknown): { reply: FakeReply; problem: ProblemDetails } {
  const reply = new FakeReply();
  const request = { url: '/v1/things/42?debug=1', id: 'req-1' };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return { reply, problem: reply.body as ProblemDetails };
}

/** A Postgres error as TypeORM raises it: a QueryFailedError around the driver's error. */
const postgresError = (code: string, message: string): QueryFailedError =>
  new QueryFailedError('SELECT 1', [], Object.assign(new Error(message), { code }));

class TestDomainError extends DomainError {
  readonly code = 'TEST.SOMETHING';
  constructor(readonly kind: DomainErrorKind) {
    super('the order is already paid');
  }
}

class Line {
  @IsInt() @Min(1) quantity!: number;
}
class Body {
  @IsEmail() email!: string;
  @ValidateNested({ each: true }) @Type(() => Line) lines!: Line[];
}

describe('ProblemDetailsFilter', () => {
  // The filter logs unexpected errors on purpose; keep the test output for test results.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(true);
  });

  it('answers application/problem+json with the path, request id and a stable type', () => {
    const { reply, problem } = render(new NotFoundException());
    expect(reply.statusCode).toBe(404);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(problem).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      type: 'urn:commerce:problem:not-found',
      instance: '/v1/things/42',
      requestId: 'req-1',
    });
  });

  it('lists every offending field, nested ones by dotted path', () => {
    const body = plainToInstance(Body, { email: 'nope', lines: [{ quantity: 0 }] });
    const { reply, problem } = render(new RequestValidationException(validateSync(body)));
    expect(reply.statusCode).toBe(400);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors?.map((violation) => violation.field)).toEqual([
      'email',
      'lines.0.quantity',
    ]);
  });

  it.each<[DomainErrorKind, number]>([
    ['validation', 400],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['unprocessable', 422],
    ['rate_limited', 429],
  ])('maps a %s domain error to %i with its own code and message', (kind, status) => {
    const { reply, problem } = render(new TestDomainError(kind));
    expect(reply.statusCode).toBe(status);
    expect(problem.code).toBe('TEST.SOMETHING');
    expect(problem.detail).toBe('the order is already paid');
  });

  it('keeps the status of errors Fastify raises before the handler, such as 413', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    const { reply, problem } = render(tooLarge);
    expect(reply.statusCode).toBe(413);
    expect(problem.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('never reveals the message of an unexpected error', () => {
    const { reply, problem } = render(
      new Error('relation "identity.users" violates ... SELECT * FROM'),
    );
    expect(reply.statusCode).toBe(500);
    expect(JSON.stringify(problem)).not.toMatch(/SELECT|relation/);
    expect(problem.code).toBe('INTERNAL');
  });

  it('hides the detail of 5xx HttpExceptions but keeps 4xx details', () => {
    expect(render(new HttpException('db password wrong', 502)).problem.detail).toBeUndefined();
    expect(render(new ForbiddenException('admins only')).problem.detail).toBe('admins only');
  });

  it('answers 503 with Retry-After when a dependency is down', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const { reply, problem } = render(refused);
    expect(reply.statusCode).toBe(503);
    expect(reply.headers['retry-after']).toBe('5');
    expect(problem.code).toBe('SERVICE_UNAVAILABLE');
  });

  it.each([
    [
      'a statement timeout (SQLSTATE 57014)',
      postgresError('57014', 'canceling statement due to statement timeout'),
    ],
    [
      'a pool with no free connection in time',
      new Error('timeout exceeded when trying to connect'),
    ],
  ])('answers 503 with Retry-After for %s, as for a refused connection', (_name, error) => {
    const { reply, problem } = render(error);
    expect(reply.statusCode).toBe(503);
    expect(reply.headers['retry-after']).toBe('5');
    expect(problem.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('answers 400 when Postgres refuses a value of the request as data, without quoting it', () => {
    const { reply, problem } = render(
      postgresError('22021', 'invalid byte sequence for encoding "UTF8": 0x00 secret-value'),
    );
    expect(reply.statusCode).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(problem.code).toBe('INVALID_VALUE');
    expect(JSON.stringify(problem)).not.toContain('secret-value');
  });

  it('answers 503 for an error marked transient, such as an open circuit breaker', () => {
    const open = Object.assign(new Error('circuit payment-provider is open'), { transient: true });
    const { reply, problem } = render(open);
    expect(reply.statusCode).toBe(503);
    expect(JSON.stringify(problem)).not.toContain('payment-provider');
  });

  it('names the service that did not answer when the transient error says which', () => {
    const catalogDown = Object.assign(new Error('the catalog did not answer "reserve"'), {
      transient: true,
      dependency: 'catalog',
    });
    const { reply, problem } = render(catalogDown);
    expect(reply.statusCode).toBe(503);
    expect(problem).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      dependency: 'catalog',
      detail: 'the catalog service is not answering; try again shortly',
    });
    expect(JSON.stringify(problem)).not.toContain('reserve');
  });
});
