import { randomUUID } from 'node:crypto';
import { ORDER_EVENTS, type OrderCancelledPayload } from '#lib/contracts';
import { createEnvelope } from '#lib/messaging';
import type { NotifyCustomerService } from '../services/notify-customer.service.js';
import { NotificationEventsMessageController } from './notification-events.message.controller.js';

describe('NotificationEventsMessageController', () => {
  const told: string[] = [];
  const notifyCustomer = {
    notify: async (_event: unknown, template: { name: string }) => {
      told.push(template.name);
      return 'queued';
    },
  } as unknown as NotifyCustomerService;
  const controller = new NotificationEventsMessageController(notifyCustomer);

  const cancellation = (extra: Partial<OrderCancelledPayload> = {}) =>
    createEnvelope<OrderCancelledPayload>(ORDER_EVENTS.cancelled, {
      orderId: randomUUID(),
      customerId: randomUUID(),
      reason: 'cancelled_by_customer',
      wasPaid: false,
      ...extra,
    });

  beforeEach(() => told.splice(0));

  it('tells the customer of a cancellation', async () => {
    await controller.onOrderCancelled(cancellation());

    expect(told).toEqual(['order-cancelled']);
  });

  it('says nothing when the cancellation is announced again only to refund a late payment', async () => {
    await controller.onOrderCancelled(
      cancellation({ wasPaid: true, paymentId: randomUUID(), refundsLatePayment: true }),
    );

    expect(told).toEqual([]);
  });
});
