import { Injectable } from '@nestjs/common';
import { Clock } from '../services/ports/clock.port.js';

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
