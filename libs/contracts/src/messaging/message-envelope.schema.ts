import {
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { MESSAGE_NAME_PATTERN } from './message-envelope.js';

/**
 * The rules of `MessageEnvelope`'s own fields; its payload is checked against the event's class.
 * Consumers validate envelopes with it, and the published schema of every event is derived from it.
 */
export class MessageEnvelopeSchema {
  @IsUUID()
  id!: string;

  @Matches(MESSAGE_NAME_PATTERN, {
    message: 'type must be a versioned name: orders.v1.order-placed',
  })
  type!: string;

  @IsInt()
  @Min(1)
  version!: number;

  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  correlationId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  causationId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  traceparent?: string;

  @IsObject()
  payload!: object;
}
