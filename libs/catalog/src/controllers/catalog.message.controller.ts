import { Controller } from '@nestjs/common';
import {
  CATALOG_PATTERNS,
  type PriceAndReserveBasketReply,
  PriceAndReserveBasketRequest,
  type PriceBasketReply,
  PriceBasketRequest,
  type PricedBasketLine,
  type ReleaseStockReply,
  ReleaseStockRequest,
  type ReserveStockReply,
  ReserveStockRequest,
} from '#lib/contracts';
import { MessagePayloadPipe } from '#lib/messaging';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { PricedLine } from '../domain/basket.js';
import { PriceAndReserveBasketService } from '../services/price-and-reserve-basket.service.js';
import { PriceBasketService } from '../services/price-basket.service.js';
import { ReleaseStockService } from '../services/release-stock.service.js';
import { ReserveStockService } from '../services/reserve-stock.service.js';

/**
 * The catalog's requests for other contexts, on whichever transport the app runs. Payloads are
 * validated on receipt (an invalid one is answered MESSAGING.VALIDATION_FAILED); domain errors
 * leave as error replies with their codes through the messaging library's RpcErrorInterceptor.
 *
 * Delivery policy: requests are never redelivered by the transport. Callers retry on
 * MESSAGING.TIMEOUT / MESSAGING.UNAVAILABLE, which is safe: pricing reads only, reserve (with or
 * without pricing) and release are idempotent per order id.
 *
 * Placing an order needs only `catalog.v1.basket.price-and-reserve`; the separate price and
 * reserve requests stay served for callers of the published v1 contract.
 */
@Controller()
export class CatalogMessageController {
  constructor(
    private readonly priceBasket: PriceBasketService,
    private readonly priceAndReserveBasket: PriceAndReserveBasketService,
    private readonly reserveStock: ReserveStockService,
    private readonly releaseStock: ReleaseStockService,
  ) {}

  @MessagePattern(CATALOG_PATTERNS.PRICE_BASKET)
  async price(
    @Payload(new MessagePayloadPipe(PriceBasketRequest)) request: PriceBasketRequest,
  ): Promise<PriceBasketReply> {
    const basket = await this.priceBasket.price(request.items);
    return {
      currency: basket.total?.currency ?? null,
      lines: basket.lines.map(toPricedBasketLine),
      total: basket.total?.amount ?? 0,
      unknownProductIds: basket.unknownProductIds,
      inactiveProductIds: basket.inactiveProductIds,
    };
  }

  @MessagePattern(CATALOG_PATTERNS.PRICE_AND_RESERVE_BASKET)
  async priceAndReserve(
    @Payload(new MessagePayloadPipe(PriceAndReserveBasketRequest))
    request: PriceAndReserveBasketRequest,
  ): Promise<PriceAndReserveBasketReply> {
    const basket = await this.priceAndReserveBasket.priceAndReserve({
      orderId: request.orderId,
      items: request.items,
    });
    return {
      orderId: request.orderId,
      currency: basket.total.currency,
      lines: basket.lines.map(toPricedBasketLine),
      total: basket.total.amount,
    };
  }

  @MessagePattern(CATALOG_PATTERNS.RESERVE_STOCK)
  async reserve(
    @Payload(new MessagePayloadPipe(ReserveStockRequest)) request: ReserveStockRequest,
  ): Promise<ReserveStockReply> {
    await this.reserveStock.reserve({ orderId: request.orderId, items: request.items });
    return { reserved: true };
  }

  @MessagePattern(CATALOG_PATTERNS.RELEASE_STOCK)
  async release(
    @Payload(new MessagePayloadPipe(ReleaseStockRequest)) request: ReleaseStockRequest,
  ): Promise<ReleaseStockReply> {
    return { released: await this.releaseStock.release(request.orderId) };
  }
}

/** A priced line in the contract's shape: amounts in minor units. */
function toPricedBasketLine(line: PricedLine): PricedBasketLine {
  return {
    productId: line.productId,
    sku: line.sku,
    name: line.name,
    unitPrice: line.unitPrice.amount,
    quantity: line.quantity,
    lineTotal: line.lineTotal.amount,
  };
}
