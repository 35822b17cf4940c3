import { Logger } from '@nestjs/common';
import { ORDER_EVENTS } from '#lib/contracts';
import { IllegalOrderTransitionError, OrderNotFoundError } from '../domain/order.errors.js';
import { orderIn, PAYMENT_ID } from '../testing/order-builder.js';
import { ordersFakes } from '../testing/orders-fakes.js';
import { CancelOrderOnPaymentFailureService } from './cancel-order-on-payment-failure.service.js';
import { CancelOrderService } from './cancel-order.service.js';
import { MarkOrderPaidService } from './mark-order-paid.service.js';
import { OrderChanges } from './order-changes.js';
import { ShipOrderService } from './ship-order.service.js';

const CUSTOMER = '5d6f8c1e-7c55-4c3e-9d2b-2f9f4d9b7a10';
const STRANGER = '7e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
const ADMIN = '11111111-2222-4333-8444-555555555555';
const LATE_PAYMENT = '99999999-8888-4777-8666-555555555555';

function setup() {
  const fakes = ordersFakes();
  const changes = new OrderChanges(fakes.orders, fakes.events, fakes.unitOfWork);
  return {
    ...fakes,
    cancel: new CancelOrderService(changes, fakes.clock),
    ship: new ShipOrderService(changes, fakes.clock),
    markPaid: new MarkOrderPaidService(changes, fakes.clock),
    paymentFailed: new CancelOrderOnPaymentFailureService(changes, fakes.clock),
  };
}

describe('changing an order', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  describe('cancellation', () => {
    it('lets a customer cancel their unpaid order, announcing that nothing is to be refunded', async () => {
      const { cancel, orders, events } = setup();
      const order = await orders.seed(orderIn('pending_payment', CUSTOMER));

      const cancelled = await cancel.cancel(order.id, { id: CUSTOMER, isAdmin: false });

      expect(cancelled.status).toBe('cancelled');
      expect((await orders.findById(order.id))?.cancellationReason).toBe('cancelled_by_customer');
      expect(events.published).toEqual([
        expect.objectContaining({
          type: ORDER_EVENTS.cancelled,
          payload: {
            orderId: order.id,
            customerId: CUSTOMER,
            reason: 'cancelled_by_customer',
            wasPaid: false,
          },
        }),
      ]);
    });

    it("lets an admin cancel a customer's paid order, announcing the payment to refund", async () => {
      const { cancel, orders, events } = setup();
      const order = await orders.seed(orderIn('paid', CUSTOMER));

      await cancel.cancel(order.id, { id: ADMIN, isAdmin: true });

      expect(events.published).toEqual([
        expect.objectContaining({
          type: ORDER_EVENTS.cancelled,
          payload: expect.objectContaining({
            reason: 'cancelled_by_admin',
            wasPaid: true,
            paymentId: PAYMENT_ID,
          }),
        }),
      ]);
    });

    it("reports another customer's order as not found and leaves it alone", async () => {
      const { cancel, orders, events } = setup();
      const order = await orders.seed(orderIn('pending_payment', CUSTOMER));

      await expect(
        cancel.cancel(order.id, { id: STRANGER, isAdmin: false }),
      ).rejects.toBeInstanceOf(OrderNotFoundError);
      expect((await orders.findById(order.id))?.status).toBe('pending_payment');
      expect(events.published).toEqual([]);
    });

    it('refuses to cancel a shipped order, with its state, and publishes nothing', async () => {
      const { cancel, orders, events } = setup();
      const order = await orders.seed(orderIn('shipped', CUSTOMER));

      await expect(cancel.cancel(order.id, { id: CUSTOMER, isAdmin: false })).rejects.toMatchObject(
        {
          code: 'ORDERS.ILLEGAL_TRANSITION',
          details: { currentStatus: 'shipped' },
        },
      );
      expect(events.published).toEqual([]);
    });
  });

  describe('shipping', () => {
    it('ships a paid order and announces it', async () => {
      const { ship, orders, events } = setup();
      const order = await orders.seed(orderIn('paid', CUSTOMER));

      expect((await ship.ship(order.id)).status).toBe('shipped');
      expect(events.ofType(ORDER_EVENTS.shipped)).toHaveLength(1);
    });

    it('refuses to ship an order awaiting payment', async () => {
      const { ship, orders } = setup();
      const order = await orders.seed(orderIn('pending_payment', CUSTOMER));

      await expect(ship.ship(order.id)).rejects.toBeInstanceOf(IllegalOrderTransitionError);
      await expect(ship.ship(order.id)).rejects.toThrow(
        'cannot ship an order that is pending_payment',
      );
    });
  });

  describe('a successful payment', () => {
    it('marks the order paid and announces it', async () => {
      const { markPaid, orders, events } = setup();
      const order = await orders.seed(orderIn('pending_payment', CUSTOMER));

      await markPaid.onPaymentSucceeded({ orderId: order.id, paymentId: PAYMENT_ID });

      const stored = await orders.findById(order.id);
      expect(stored?.status).toBe('paid');
      expect(stored?.paymentId).toBe(PAYMENT_ID);
      expect(events.published).toEqual([
        expect.objectContaining({
          type: ORDER_EVENTS.paid,
          payload: { orderId: order.id, customerId: CUSTOMER, paymentId: PAYMENT_ID },
        }),
      ]);
    });

    it('has no second effect when reported again', async () => {
      const { markPaid, orders, events } = setup();
      const order = await orders.seed(orderIn('pending_payment', CUSTOMER));

      await markPaid.onPaymentSucceeded({ orderId: order.id, paymentId: PAYMENT_ID });
      await markPaid.onPaymentSucceeded({ orderId: order.id, paymentId: PAYMENT_ID });

      expect(events.published).toHaveLength(1);
      expect((await orders.findById(order.id))?.version).toBe(2);
    });

    it('for an order cancelled meanwhile, keeps it cancelled and asks for a refund, once', async () => {
      const { markPaid, orders, events } = setup();
      const order = await orders.seed(orderIn('cancelled', CUSTOMER));

      await markPaid.onPaymentSucceeded({ orderId: order.id, paymentId: LATE_PAYMENT });
      await markPaid.onPaymentSucceeded({ orderId: order.id, paymentId: LATE_PAYMENT });

      expect((await orders.findById(order.id))?.status).toBe('cancelled');
      expect(events.published).toEqual([
        expect.objectContaining({
          type: ORDER_EVENTS.cancelled,
          payload: expect.objectContaining({ wasPaid: true, paymentId: LATE_PAYMENT }),
        }),
      ]);
    });

    it('fails for an unknown order, so the message is retried and then dead-lettered', async () => {
      const { markPaid } = setup();
      await expect(
        markPaid.onPaymentSucceeded({
          orderId: '00000000-0000-4000-8000-000000000000',
          paymentId: PAYMENT_ID,
        }),
      ).rejects.toBeInstanceOf(OrderNotFoundError);
    });
  });

  describe('a failed payment', () => {
    it('cancels the unpaid order with reason payment_failed and the failure, announcing nothing to refund', async () => {
      const { paymentFailed, orders, events } = setup();
      const order = await orders.seed(orderIn('pending_payment', CUSTOMER));

      await paymentFailed.onPaymentFailed({
        orderId: order.id,
        code: 'PAYMENTS.CARD_DECLINED',
        reason: 'the card was declined',
      });

      expect((await orders.findById(order.id))?.status).toBe('cancelled');
      expect(events.published).toEqual([
        expect.objectContaining({
          type: ORDER_EVENTS.cancelled,
          payload: expect.objectContaining({
            reason: 'payment_failed',
            wasPaid: false,
            paymentFailure: 'the card was declined',
          }),
        }),
      ]);
    });

    it.each(['cancelled', 'paid', 'shipped'] as const)(
      'changes nothing for an order that is already %s',
      async (status) => {
        const { paymentFailed, orders, events } = setup();
        const order = await orders.seed(orderIn(status, CUSTOMER));

        await paymentFailed.onPaymentFailed({
          orderId: order.id,
          code: 'PAYMENTS.CARD_DECLINED',
          reason: 'the card was declined',
        });

        expect((await orders.findById(order.id))?.toSnapshot()).toEqual(order.toSnapshot());
        expect(events.published).toEqual([]);
      },
    );
  });
});
