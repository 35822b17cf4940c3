import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { defer, lastValueFrom, of } from 'rxjs';
import { CorrelationScope } from './correlation-scope.js';
import { CorrelationInterceptor } from './correlation.interceptor.js';

const httpContext = (request: object): ExecutionContext =>
  ({
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
  }) as unknown as ExecutionContext;

// Like Nest's handler: it runs when the stream is subscribed.
const handlerReadingScope: CallHandler = {
  handle: () => defer(() => of(CorrelationScope.current())),
};

describe('CorrelationInterceptor', () => {
  it('runs an HTTP handler in a correlation named after the request id', async () => {
    const scope = await lastValueFrom(
      new CorrelationInterceptor().intercept(httpContext({ id: 'req-99' }), handlerReadingScope),
    );

    expect(scope).toEqual({ correlationId: 'req-99' });
  });

  it('leaves message handlers to the transport, which knows the message', async () => {
    const rpcContext = { getType: () => 'rpc' } as unknown as ExecutionContext;

    const scope = await lastValueFrom(
      new CorrelationInterceptor().intercept(rpcContext, handlerReadingScope),
    );

    expect(scope).toBeUndefined();
  });
});
