import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class ListPaymentsQueryDto {
  @ApiProperty({ format: 'uuid', description: 'The order whose payments to list' })
  @IsUUID()
  orderId!: string;
}
