import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from '#lib/guards';
import { ListOrderPaymentsService } from '../services/list-order-payments.service.js';
import { ListPaymentsQueryDto } from './dto/list-payments.query.dto.js';
import { PaymentListResponseDto } from './dto/payment-list.response.dto.js';

@ApiTags('payments')
@Controller({ path: 'payments', version: '1' })
export class PaymentsHttpController {
  constructor(private readonly listOrderPayments: ListOrderPaymentsService) {}

  @Get()
  @ApiBearerAuth()
  @ApiOperation({
    summary: "An order's payments",
    description:
      "For the order's customer or an admin. Anyone else gets an empty list, as for an order without a payment, so the answer never reveals other customers' orders. The payment appears shortly after the order is placed (it is created from the order.placed event).",
  })
  @ApiOkResponse({ type: PaymentListResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: orderId missing or not a UUID' })
  @ApiUnauthorizedResponse({ description: 'No or invalid bearer token' })
  async list(
    @Query() query: ListPaymentsQueryDto,
    @CurrentUser() caller: AuthenticatedUser,
  ): Promise<PaymentListResponseDto> {
    return PaymentListResponseDto.from(
      await this.listOrderPayments.forOrder(query.orderId, caller),
    );
  }
}
