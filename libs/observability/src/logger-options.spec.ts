import { jest } from '@jest/globals';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Environment, logConfig, serviceConfig, tracingConfig } from '#lib/config';
import { pino, stdTimeFunctions } from 'pino';
import type { SonicBoom } from 'sonic-boom';
import { runInRequestLogContext } from './log-context.js';
import {
  LOG_FLUSH_INTERVAL_MS,
  LOG_WRITE_MIN_BYTES,
  isoTimeOncePerMs,
  type LoggerSettings,
  logDestination,
  loggerModuleParams,
  pinoOptions,
} from './logger-options.js';

type LogLine = Record<string, unknown>;

const loggerSettings = (environment: Environment): LoggerSettings => ({
  service: serviceConfig.load(environment),
  log: logConfig.load(environment),
  tracing: tracingConfig.load(environment),
});

function memoryLogger(config: LoggerSettings): {
  logger: pino.Logger;
  lines: () => LogLine[];
  raw: () => string;
} {
  let output = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  const logger = pino(pinoOptions(config), stream);
  return {
    logger,
    raw: () => output,
    lines: () =>
      output
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as LogLine),
  };
}

const config = loggerSettings({
  NODE_ENV: 'test',
  SERVICE_NAME: 'logger-spec',
  LOG_LEVEL: 'debug',
});

const SECRETS = ['hunter2', 'Bearer abc.def.ghi', 'sid=42', 'rt-1', 'at-1', 'tk-1', 'cs-1'];

describe('pinoOptions', () => {
  it('writes JSON lines with the service name, a level label and an ISO time', () => {
    const { logger, lines } = memoryLogger(config);

    logger.info('hello');

    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'logger-spec',
        msg: 'hello',
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      }),
    ]);
  });

  it("stamps every line with the time it was written, as pino's isoTime does", () => {
    const { logger, lines } = memoryLogger(config);
    jest.useFakeTimers({ now: new Date('2026-12-06T10:00:00.000Z') });
    try {
      logger.info('first');
      logger.info('same millisecond');
      jest.setSystemTime(new Date('2026-12-06T10:00:00.001Z'));
      logger.info('next millisecond');
      // Frozen clock: both read the same millisecond.
      expect(isoTimeOncePerMs()).toBe(stdTimeFunctions.isoTime());
    } finally {
      jest.useRealTimers();
    }
    expect(lines().map((line) => line.time)).toEqual([
      '2026-12-06T10:00:00.000Z',
      '2026-12-06T10:00:00.000Z',
      '2026-12-06T10:00:00.001Z',
    ]);
  });

  it('logs at the configured level and not below', () => {
    const { logger, lines } = memoryLogger(
      loggerSettings({ ...baseEnvironment(), LOG_LEVEL: 'warn' }),
    );

    logger.info('hidden');
    logger.warn('shown');

    expect(lines().map((line) => line.msg)).toEqual(['shown']);
  });

  it('never writes credentials found in headers or bodies, however they are nested', () => {
    const { logger, lines, raw } = memoryLogger(config);

    logger.info(
      {
        headers: {
          authorization: 'Bearer abc.def.ghi',
          cookie: 'sid=42',
          'set-cookie': ['sid=42'],
        },
        body: {
          email: 'a@example.test',
          password: 'hunter2',
          tokens: [{ refresh_token: 'rt-1', access_token: 'at-1', token: 'tk-1' }],
          client: { client_secret: 'cs-1' },
        },
      },
      'request received',
    );

    for (const secret of SECRETS) expect(raw()).not.toContain(secret);
    expect(lines()[0]).toMatchObject({
      headers: { authorization: '[Redacted]', cookie: '[Redacted]', 'set-cookie': '[Redacted]' },
      body: {
        email: 'a@example.test',
        password: '[Redacted]',
        tokens: [{ refresh_token: '[Redacted]', access_token: '[Redacted]', token: '[Redacted]' }],
        client: { client_secret: '[Redacted]' },
      },
    });
  });

  it('redacts the headers of serialized requests and responses', () => {
    const { logger, lines } = memoryLogger(config);

    logger.info({
      req: { method: 'GET', headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=42' } },
      res: { statusCode: 200, headers: { 'set-cookie': 'sid=42' } },
    });

    expect(lines()[0]).toMatchObject({
      req: { method: 'GET', headers: { authorization: '[Redacted]', cookie: '[Redacted]' } },
      res: { statusCode: 200, headers: { 'set-cookie': '[Redacted]' } },
    });
  });

  it('still logs errors with their message and stack', () => {
    const { logger, lines } = memoryLogger(config);

    logger.error({ err: new Error('boom') }, 'failed');

    expect(lines()[0]).toMatchObject({
      err: { type: 'Error', message: 'boom', stack: expect.stringContaining('Error: boom') },
    });
  });
});

describe('the request log context', () => {
  it('adds the request id to every line logged while the request runs, and to none outside it', async () => {
    const { logger, lines, raw } = memoryLogger(config);
    logger.info('before');
    await runInRequestLogContext('req-41', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.child({ context: 'Deep' }).info('inside');
      // The request's own line names the id itself: written once, not twice.
      logger.info({ requestId: 'req-41' }, 'completed');
    });
    logger.info('after');
    expect(lines().map((line) => [line.msg, line.requestId])).toEqual([
      ['before', undefined],
      ['inside', 'req-41'],
      ['completed', 'req-41'],
      ['after', undefined],
    ]);
    expect(raw().match(/"requestId"/g)).toHaveLength(2);
  });
});

describe('loggerModuleParams', () => {
  it('mounts no Nest middleware: the request context comes from a Fastify hook', () => {
    expect(loggerModuleParams(config).forRoutes).toEqual([]);
  });
});

describe('logDestination', () => {
  const production = { ...baseEnvironment(), NODE_ENV: 'production' };

  it('writes asynchronously to stdout in production only, and not through pino-pretty', () => {
    const output = logDestination(loggerSettings(production));
    expect(output).toMatchObject({ fd: 1, sync: false, minLength: LOG_WRITE_MIN_BYTES });
    expect(logDestination(config)).toBeUndefined();
    expect(logDestination(loggerSettings({ ...production, LOG_PRETTY: 'true' }))).toBeUndefined();
  });

  it('holds a line back for a chunk, and writes it on its own once the process stays quiet', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'log-destination-'));
    const file = join(directory, 'stdout.log');
    // Closed by the destination when it is destroyed.
    const output = logDestination(loggerSettings(production), openSync(file, 'w')) as SonicBoom;
    try {
      output.write('{"msg":"request completed"}\n');
      expect(readFileSync(file, 'utf8')).toBe('');
      const deadline = Date.now() + 10_000;
      while (readFileSync(file, 'utf8') === '' && Date.now() < deadline) {
        await new Promise((tick) => setTimeout(tick, LOG_FLUSH_INTERVAL_MS));
      }
      expect(readFileSync(file, 'utf8')).toBe('{"msg":"request completed"}\n');
    } finally {
      await new Promise((closed) => {
        output.once('close', closed);
        output.destroy();
      });
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

function baseEnvironment(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    SERVICE_NAME: 'logger-spec',
  };
}
