import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from '#lib/guards';
import { ApiProblemResponses } from '#lib/http-problems';
import { ListOrderPaymentsService } from '../services/list-order-payments.service.js';
import { ListPaymentsQueryDto } from './dto/list-payments.query.dto.js';
import { PaymentListResponseDto } from './dto/payment-list.response.dto.js';

@ApiTags('payments')
@Controller({ path: 'payments', version: '1' })
export class PaymentsHttpController {
  constructor(private readonly listOrderPayments: ListOrderPaymentsService) {}

  @Get()
  @ApiOperation({
    operationId: 'listOrderPayments',
    summary: "An order's payments",
    description:
      "For the order's customer or an admin. Anyone else gets an empty list, as for an order without a payment, so the answer never reveals other customers' orders. The payment appears shortly after the order is placed (it is created from the order.placed event).",
  })
  @ApiOkResponse({ type: PaymentListResponseDto })
  @ApiProblemResponses({ 400: 'VALIDATION_FAILED: orderId missing or not a UUID' })
  async list(
    @Query() query: ListPaymentsQueryDto,
    @CurrentUser() caller: AuthenticatedUser,
  ): Promise<PaymentListResponseDto> {
    return PaymentListResponseDto.from(
      await this.listOrderPayments.forOrder(query.orderId, caller),
    );
  }
}
