import { Controller } from '@nestjs/common';
import {
  CATALOG_PATTERNS,
  type PriceBasketReply,
  PriceBasketRequest,
  type ReleaseStockReply,
  ReleaseStockRequest,
  type ReserveStockReply,
  ReserveStockRequest,
} from '#lib/contracts';
import { MessagePayloadPipe } from '#lib/messaging';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PriceBasketService } from '../services/price-basket.service.js';
import { ReleaseStockService } from '../services/release-stock.service.js';
import { ReserveStockService } from '../services/reserve-stock.service.js';

/**
 * The catalog's requests for other contexts, on whichever transport the app runs. Payloads are
 * validated on receipt (an invalid one is answered MESSAGING.VALIDATION_FAILED); domain errors
 * leave as error replies with their codes through the messaging library's RpcErrorInterceptor.
 *
 * Delivery policy: requests are never redelivered by the transport. Callers retry on
 * MESSAGING.TIMEOUT / MESSAGING.UNAVAILABLE, which is safe: pricing reads only, reserve and
 * release are idempotent per order id.
 */
@Controller()
export class CatalogMessageController {
  constructor(
    private readonly priceBasket: PriceBasketService,
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
      lines: basket.lines.map((line) => ({
        productId: line.productId,
        sku: line.sku,
        name: line.name,
        unitPrice: line.unitPrice.amount,
        quantity: line.quantity,
        lineTotal: line.lineTotal.amount,
      })),
      total: basket.total?.amount ?? 0,
      unknownProductIds: basket.unknownProductIds,
      inactiveProductIds: basket.inactiveProductIds,
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
