import {
  type CallHandler,
  Controller,
  Get,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import {
  interceptMessageHandlers,
  MESSAGE_HANDLER_INTERCEPTORS,
} from './message-handler-interceptors.js';

const declared: NestInterceptor = { intercept: (_context, next: CallHandler) => next.handle() };

@Controller()
class MixedController {
  @Get('page')
  page(): string {
    return 'page';
  }

  @MessagePattern('test.v1.ask')
  @UseInterceptors(declared)
  ask(): string {
    return 'answer';
  }
}

const interceptorsOf = (method: unknown): unknown =>
  Reflect.getMetadata(INTERCEPTORS_METADATA, method as object);

describe('interceptMessageHandlers', () => {
  it("puts the messaging interceptors in front of a message handler's own, and leaves routes bare", async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [MixedController] }).compile();

    interceptMessageHandlers(moduleRef.get(ModulesContainer));
    // A second app in the same process does it again.
    interceptMessageHandlers(moduleRef.get(ModulesContainer));

    expect(interceptorsOf(MixedController.prototype.ask)).toEqual([
      ...MESSAGE_HANDLER_INTERCEPTORS,
      declared,
    ]);
    expect(interceptorsOf(MixedController.prototype.page)).toBeUndefined();
    await moduleRef.close();
  });
});
