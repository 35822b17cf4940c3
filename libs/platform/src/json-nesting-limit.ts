import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { MAX_INPUT_DEPTH } from './request-text-violations.js';

/** Shaped like Fastify's own body errors, so the problem filter keeps its 400 status. */
class JsonTooDeeplyNestedError extends Error {
  readonly statusCode = 400;
  readonly code = 'FST_ERR_CTP_JSON_TOO_DEEP';

  constructor(maxDepth: number) {
    super(`The JSON body is nested more than ${maxDepth} levels deep`);
    this.name = 'JsonTooDeeplyNestedError';
  }
}

/** True when arrays and objects in `text` nest deeper than `maxDepth`; brackets inside strings do not count. */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c /* \ */) index++;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b /* [ */ || char === 0x7b /* { */) {
      if (++depth > maxDepth) return true;
    } else if (char === 0x5d /* ] */ || char === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

/**
 * Replaces Fastify's JSON body parser with one that first measures nesting, in one pass over the
 * text. JSON.parse copes with deep nesting, but everything after it recurses once per level
 * (the prototype-poisoning scan, class-transformer, class-validator): a 100 KB body of brackets
 * overflowed the stack and answered 500. Parsing itself stays Fastify's, poisoning checks included.
 */
export function limitJsonNesting(app: NestFastifyApplication, maxDepth = MAX_INPUT_DEPTH): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  // Through Nest, which then skips its own JSON parser; the body limit stays the adapter's.
  app.useBodyParser('application/json', {}, (request: FastifyRequest, body: Buffer, done) => {
    const text = body.toString('utf8');
    if (exceedsJsonDepth(text, maxDepth)) {
      done(new JsonTooDeeplyNestedError(maxDepth), undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}
