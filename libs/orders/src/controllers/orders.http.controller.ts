import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles } from '#lib/guards';
import { ApiProblemResponses } from '#lib/http-problems';
import type { FastifyReply } from 'fastify';
import type { OrderActor } from '../domain/order-actor.js';
import { CancelOrderService } from '../services/cancel-order.service.js';
import { GetOrderService } from '../services/get-order.service.js';
import { ListOrdersService } from '../services/list-orders.service.js';
import { PlaceOrderService } from '../services/place-order.service.js';
import { ShipOrderService } from '../services/ship-order.service.js';
import { ListOrdersQueryDto } from './dto/list-orders.query.dto.js';
import { OrderPageResponseDto } from './dto/order-page.response.dto.js';
import { OrderResponseDto } from './dto/order.response.dto.js';
import { PlaceOrderRequestDto } from './dto/place-order.request.dto.js';

const actorOf = (user: AuthenticatedUser): OrderActor => ({
  id: user.id,
  isAdmin: user.roles.includes('admin'),
});

export const orderLocation = (orderId: string): string => `/v1/orders/${orderId}`;

@ApiTags('orders')
@Controller({ path: 'orders', version: '1' })
export class OrdersHttpController {
  constructor(
    private readonly placeOrder: PlaceOrderService,
    private readonly getOrder: GetOrderService,
    private readonly listOrders: ListOrdersService,
    private readonly cancelOrder: CancelOrderService,
    private readonly shipOrder: ShipOrderService,
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'placeOrder',
    summary: 'Place an order',
    description:
      'Prices the items at the current catalog prices (snapshotted on the order), reserves their stock ' +
      'and saves the order `pending_payment` (201); payment follows asynchronously (poll the order). ' +
      'When the catalog cannot be reached, the order is accepted all the same (202) as ' +
      '`awaiting_stock`, not priced yet: it is priced and reserved as soon as the catalog answers, ' +
      'then goes on to payment, or it is cancelled (`out_of_stock`, `products_unavailable`) and the ' +
      'customer is told. An out-of-stock or unknown product the catalog reports at once is still ' +
      'refused at once (409, 422). ' +
      'Retrying with the same Idempotency-Key and body returns the first response (same status and ' +
      'body, with `Idempotent-Replayed: true`); a concurrent request with the same key waits for the ' +
      'first one (up to a few seconds, then 409 ORDERS.IDEMPOTENCY_KEY_IN_PROGRESS). Failed attempts ' +
      'are not remembered: retrying them with the same key tries again. Keys expire after 24 h.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'A new unique value (a UUID) per order; repeat it only to retry the same request',
    schema: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      pattern: '^[!-~]+$',
      example: '5f0c3f8e-2a44-4e4b-9d8e-1c2b3a4d5e6f',
    },
  })
  @ApiCreatedResponse({
    type: OrderResponseDto,
    headers: {
      Location: { description: 'The order: /v1/orders/{id}', schema: { type: 'string' } },
      'Idempotent-Replayed': {
        description: 'Present (true) when this is the stored response of an earlier request',
        schema: { type: 'string' },
      },
    },
  })
  @ApiAcceptedResponse({
    type: OrderResponseDto,
    description:
      'Accepted while the catalog could not be reached: the order is `awaiting_stock`, with its ' +
      '`requestedItems`, no lines, `currency` "" and `total` 0 until it is priced. Poll it.',
    headers: {
      Location: { description: 'The order: /v1/orders/{id}', schema: { type: 'string' } },
      'Idempotent-Replayed': {
        description: 'Present (true) when this is the stored response of an earlier request',
        schema: { type: 'string' },
      },
    },
  })
  @ApiProblemResponses({
    400:
      'Invalid body (VALIDATION_FAILED, ORDERS.INVALID_ORDER), missing or malformed Idempotency-Key ' +
      '(ORDERS.IDEMPOTENCY_KEY_REQUIRED, ORDERS.INVALID_IDEMPOTENCY_KEY)',
    409:
      'ORDERS.OUT_OF_STOCK (nothing reserved; `productIds` and `shortages`, the short lines with ' +
      'the quantities requested, never the units in stock) or ' +
      'ORDERS.IDEMPOTENCY_KEY_IN_PROGRESS (retry shortly)',
    422:
      'ORDERS.PRODUCTS_UNAVAILABLE (unknown or inactive `productIds`), ORDERS.MIXED_CURRENCIES, ' +
      'ORDERS.IDEMPOTENCY_KEY_REUSED (the key was used with another body)',
    503: 'SERVICE_UNAVAILABLE: the database is not answering; retry after Retry-After with the same Idempotency-Key',
  })
  async place(
    @Body() body: PlaceOrderRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentUser() caller: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponseDto> {
    // 201, or 202 for an order accepted awaiting stock (the catalog gave no answer). A database
    // that does not answer raises a transient error: the problem filter answers 503 with
    // Retry-After, so clients retry with the same Idempotency-Key.
    const result = await this.placeOrder.place({
      customerId: caller.id,
      idempotencyKey,
      items: body.items.map(({ productId, quantity }) => ({ productId, quantity })),
    });
    void reply.status(result.status).header('location', orderLocation(result.order.id));
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return OrderResponseDto.fromView(result.order);
  }

  @Get()
  @ApiOperation({
    operationId: 'listOrders',
    summary: 'List orders',
    description:
      "Newest first: the caller's own orders, or every order for an admin. Follow `nextCursor` for more.",
  })
  @ApiOkResponse({ type: OrderPageResponseDto })
  @ApiProblemResponses({
    400: 'Invalid limit (VALIDATION_FAILED) or cursor (ORDERS.INVALID_CURSOR)',
  })
  async list(
    @Query() query: ListOrdersQueryDto,
    @CurrentUser() caller: AuthenticatedUser,
  ): Promise<OrderPageResponseDto> {
    const page = await this.listOrders.page(actorOf(caller), {
      limit: query.limit,
      cursor: query.cursor,
    });
    return OrderPageResponseDto.from(page);
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getOrder',
    summary: 'Get an order',
    description: "The caller's own order, or any order for an admin.",
  })
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiProblemResponses({
    400: 'VALIDATION_FAILED: the id is not a UUID',
    404: "ORDERS.ORDER_NOT_FOUND: no such order, or it is someone else's",
  })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() caller: AuthenticatedUser,
  ): Promise<OrderResponseDto> {
    return OrderResponseDto.from(await this.getOrder.get(id, actorOf(caller)));
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'cancelOrder',
    summary: 'Cancel an order',
    description:
      'By its customer, or by an admin, until it ships (an order awaiting stock too). Its stock is released; a paid order is refunded ' +
      '(both follow asynchronously).',
  })
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiProblemResponses({
    400: 'VALIDATION_FAILED: the id is not a UUID',
    404: 'ORDERS.ORDER_NOT_FOUND',
    409: 'ORDERS.ILLEGAL_TRANSITION: shipped or already cancelled (`currentStatus`)',
  })
  async cancel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() caller: AuthenticatedUser,
  ): Promise<OrderResponseDto> {
    return OrderResponseDto.from(await this.cancelOrder.cancel(id, actorOf(caller)));
  }

  @Post(':id/ship')
  @Roles('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'shipOrder', summary: 'Mark a paid order as shipped (admin)' })
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiProblemResponses({
    400: 'VALIDATION_FAILED: the id is not a UUID',
    404: 'ORDERS.ORDER_NOT_FOUND',
    409: 'ORDERS.ILLEGAL_TRANSITION: the order is not paid (`currentStatus`)',
  })
  async ship(@Param('id', new ParseUUIDPipe()) id: string): Promise<OrderResponseDto> {
    return OrderResponseDto.from(await this.shipOrder.ship(id));
  }
}
