import { EventPattern } from '@nestjs/microservices';
import { PATTERN_EXTRAS_METADATA } from '@nestjs/microservices/constants.js';
import { backoffDelayMs, DeliveryPolicy, deliveryPolicyOf } from './delivery-policy.decorator.js';

const extrasOf = (handler: object): Record<string, unknown> =>
  Reflect.getMetadata(PATTERN_EXTRAS_METADATA, handler) as Record<string, unknown>;

describe('@DeliveryPolicy', () => {
  it('records the policy in the pattern extras whichever decorator comes first', () => {
    class Handlers {
      @EventPattern('orders.v1.order-placed', { queue: 'payments' })
      @DeliveryPolicy({ maxAttempts: 4, backoffMs: 100 })
      below(_event: unknown): void {}

      @DeliveryPolicy({ maxAttempts: 2, backoffMs: 50, maxBackoffMs: 60, consumer: 'mail' })
      @EventPattern('orders.v1.order-placed', { queue: 'notifications' })
      above(_event: unknown): void {}
    }

    expect(extrasOf(Handlers.prototype.below)).toEqual({
      queue: 'payments',
      deliveryPolicy: {
        maxAttempts: 4,
        backoffMs: 100,
        maxBackoffMs: 30_000,
        consumer: 'Handlers.below',
      },
    });
    expect(deliveryPolicyOf(extrasOf(Handlers.prototype.above))).toEqual({
      maxAttempts: 2,
      backoffMs: 50,
      maxBackoffMs: 60,
      consumer: 'mail',
    });
  });

  it.each([
    [{ maxAttempts: 0, backoffMs: 10 }, /maxAttempts/],
    [{ maxAttempts: 1.5, backoffMs: 10 }, /maxAttempts/],
    [{ maxAttempts: 3, backoffMs: -1 }, /backoffMs/],
  ])('refuses the impossible policy %j when the class is defined', (policy, message) => {
    expect(() => {
      class Handlers {
        @DeliveryPolicy(policy)
        handle(): void {}
      }
      return Handlers;
    }).toThrow(message);
  });

  it('doubles the wait after each failed attempt, up to the cap', () => {
    const policy = { maxAttempts: 6, backoffMs: 100, maxBackoffMs: 500, consumer: 'c' };

    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(policy, attempt))).toEqual([
      100, 200, 400, 500, 500,
    ]);
  });
});
