import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldViolation {
  /** Dotted path of the offending field, e.g. `items.0.quantity`. */
  readonly field: string;
  readonly messages: readonly string[];
}

export class FieldViolationDocument implements FieldViolation {
  @ApiProperty({ example: 'email' })
  field!: string;

  @ApiProperty({ example: ['email must be an email'], type: [String] })
  messages!: string[];
}

/** RFC 7807 problem details, with our stable `code` and the request id for support. */
export class ProblemDocument {
  @ApiProperty({ example: 'urn:commerce:problem:validation-failed' })
  type!: string;

  @ApiProperty({ example: 'Request validation failed' })
  title!: string;

  @ApiProperty({ type: 'integer', example: 400 })
  status!: number;

  @ApiPropertyOptional({ example: 'email must be an email' })
  detail?: string;

  @ApiPropertyOptional({ example: '/v1/users' })
  instance?: string;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable, documented error code' })
  code!: string;

  @ApiPropertyOptional({ example: '7d3c9e1a-...' })
  requestId?: string;

  @ApiPropertyOptional({ type: [FieldViolationDocument] })
  errors?: FieldViolation[];

  @ApiPropertyOptional({
    example: 'catalog',
    description: 'On a 503: the service that did not answer, when the app knows which',
  })
  dependency?: string;
}

export type ProblemDetails = ProblemDocument;

/** `VALIDATION_FAILED` -> `urn:commerce:problem:validation-failed`; one type URI per code. */
export const problemType = (code: string): string =>
  `urn:commerce:problem:${code.toLowerCase().replace(/[._]/g, '-')}`;
