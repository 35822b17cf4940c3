import { Type } from 'class-transformer';
import {
  IsArray,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import type { FieldViolation, RpcErrorPayload } from './rpc-error-payload.js';

/** The schema of a FieldViolation, for the published contract. */
export class FieldViolationSchema implements FieldViolation {
  /** `items.0.quantity`; empty when the message as a whole is wrong. */
  @IsString() readonly field!: string;
  @IsArray() @IsString({ each: true }) readonly messages!: readonly string[];
}

/**
 * The schema of the `err` an error reply carries (RpcErrorPayload). `details` depends on `code`:
 * MESSAGING.VALIDATION_FAILED carries `{ violations: FieldViolation[] }`, domain codes theirs
 * (CATALOG_ERROR_CODES documents each).
 */
export class RpcErrorReply implements RpcErrorPayload {
  @IsString() @IsNotEmpty() readonly code!: string;
  @IsString() readonly message!: string;
  @IsOptional() @IsString() readonly kind?: string;
  @IsOptional() @IsObject() readonly details?: Readonly<Record<string, unknown>>;
}

/** `details` of MESSAGING.VALIDATION_FAILED. */
export class ValidationFailedDetails {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FieldViolationSchema)
  readonly violations!: readonly FieldViolationSchema[];
}
