import { Module } from '@nestjs/common';
import { PaymentsModule } from '#lib/payments';
import { PlatformModule } from '#lib/platform';

/** Split mode: the payments context alone, talking to the other apps over the broker. */
@Module({ imports: [PlatformModule, PaymentsModule.forRootFromEnv()] })
export class PaymentsAppModule {}
