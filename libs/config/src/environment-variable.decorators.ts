import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { toBoolean, toInteger } from './environment-transforms.js';

/** A whole number read from the environment, at least `min` (and at most `max` when given). */
export const IntegerVariable = ({ min, max }: { min: number; max?: number }): PropertyDecorator =>
  applyDecorators(
    Transform(toInteger),
    IsInt(),
    Min(min),
    ...(max === undefined ? [] : [Max(max)]),
  );

/** `true`/`false`, `1`/`0` or `yes`/`no` read from the environment. */
export const BooleanVariable = (): PropertyDecorator =>
  applyDecorators(Transform(toBoolean), IsBoolean());
