import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { RETRY_AFTER_HEADERS } from '#lib/http-problems';
import { OAuthErrorResponseDto } from './dto/oauth-error.response.dto.js';

/** The OAuth endpoints' error answers, RFC 6749 §5.2 bodies as application/json. */
export const ApiOAuthErrorResponses = (
  responses: Partial<Record<400 | 429 | 500 | 503, string>>,
): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ...Object.entries(responses).map(([status, description]) =>
      ApiResponse({
        status: Number(status),
        description,
        type: OAuthErrorResponseDto,
        ...((status === '429' || status === '503') && { headers: { ...RETRY_AFTER_HEADERS } }),
      }),
    ),
  );
