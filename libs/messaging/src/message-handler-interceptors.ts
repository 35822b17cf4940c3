import type { NestInterceptor, Type } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, type ModulesContainer } from '@nestjs/core';
import { PATTERN_HANDLER_METADATA } from '@nestjs/microservices/constants.js';
import { RpcErrorInterceptor } from './errors/rpc-error.interceptor.js';
import { MessageTracingInterceptor } from './tracing/message-tracing.interceptor.js';

/**
 * What every message handler runs in, outermost first: its span (covering the error translation
 * and its log line), then the translation of its failure into an RPC error reply. Both are
 * stateless, so one instance serves every app in the process. Correlation needs no interceptor:
 * the transports run each handler in the scope of its message (runInMessageScope).
 */
export const MESSAGE_HANDLER_INTERCEPTORS: readonly NestInterceptor[] = Object.freeze([
  new MessageTracingInterceptor(),
  new RpcErrorInterceptor(),
]);

/** A handler's own interceptors, as its decorators declared them, before ours were put in front. */
const declaredInterceptors = new WeakMap<object, readonly unknown[]>();

/**
 * Puts MESSAGE_HANDLER_INTERCEPTORS in front of the interceptors of every `@MessagePattern` and
 * `@EventPattern` method of the app's controllers, as if each carried `@UseInterceptors(...)`.
 * They used to be global (`APP_INTERCEPTOR`), which wrapped every HTTP route in an rxjs chain that
 * did nothing for it; a route without interceptors runs without any (issue 7, ADR 0046). Call it
 * after the modules are scanned and before Nest builds the message handlers (at
 * `connectMicroservice`, or at `listen` for a microservice alone): MessagingModule does, when it
 * is instantiated. Idempotent: calling it again (another app in the same process) changes nothing.
 */
export function interceptMessageHandlers(modules: ModulesContainer): void {
  const scanner = new MetadataScanner();
  for (const module of modules.values()) {
    for (const controller of module.controllers.values()) {
      const prototype = (controller.metatype as Type | null)?.prototype as
        Record<string, unknown> | undefined;
      if (prototype === undefined) continue;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function') continue;
        if (Reflect.getMetadata(PATTERN_HANDLER_METADATA, handler) === undefined) continue;
        let declared = declaredInterceptors.get(handler);
        if (declared === undefined) {
          declared = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[];
          declaredInterceptors.set(handler, declared);
        }
        Reflect.defineMetadata(
          INTERCEPTORS_METADATA,
          [...MESSAGE_HANDLER_INTERCEPTORS, ...declared],
          handler,
        );
      }
    }
  }
}
