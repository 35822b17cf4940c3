import { Module } from '@nestjs/common';
import { NotificationsModule } from '#lib/notifications';
import { PlatformModule } from '#lib/platform';

/** Split mode: the notifications context alone, talking to the other apps over the broker. */
@Module({ imports: [PlatformModule, NotificationsModule.forRootFromEnv()] })
export class NotificationsAppModule {}
