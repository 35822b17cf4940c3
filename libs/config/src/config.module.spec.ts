import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Transform } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { ConfigEnvironment } from './config-environment.js';
import { defineConfigSection } from './config-section.js';
import { ConfigValidationError } from './config-validation.error.js';
import { ConfigModule } from './config.module.js';
import { toInteger } from './environment-transforms.js';
import { declaredConfiguration } from './process-configuration.js';
import { HttpConfig } from './sections/http.config.js';

// A context's section, as a context library defines it beside its module.
class ShelfVariables {
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  SHELF_SLOTS = 4;
}

abstract class ShelfConfig {
  abstract readonly slots: number;
}

const shelfConfig = defineConfigSection({
  name: 'shelf',
  variables: ShelfVariables,
  settings: ShelfConfig,
  build: (variables): ShelfConfig => ({ slots: variables.SHELF_SLOTS }),
});

@Injectable()
class Shelf {
  constructor(
    readonly config: ShelfConfig,
    readonly http: HttpConfig,
  ) {}
}

const problemsOf = (run: () => unknown): readonly string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
};

describe('ConfigModule', () => {
  it('validates a section only once a module declared it with forFeature', () => {
    const environment = {
      SHELF_SLOTS: 'plenty',
      JWT_DEV_KEY_DIR: mkdtempSync(join(tmpdir(), 'commerce-keys-')),
    };
    expect(problemsOf(() => declaredConfiguration(environment))).toEqual([]);

    @Module({ imports: [ConfigModule.forFeature(shelfConfig)], providers: [Shelf] })
    class ShelfModule {}
    expect(ShelfModule).toBeDefined();

    expect(problemsOf(() => declaredConfiguration(environment))).toContain(
      'SHELF_SLOTS must be an integer number (got "plenty")',
    );
    expect(problemsOf(() => declaredConfiguration({ ...environment, SHELF_SLOTS: '2' }))).toEqual(
      [],
    );
  });

  it('injects a section by its settings class, read from the ConfigEnvironment', async () => {
    const module = await Test.createTestingModule({
      imports: [
        ConfigModule,
        {
          module: class ShelfModule {},
          imports: [ConfigModule.forFeature(shelfConfig)],
          providers: [Shelf],
        },
      ],
    })
      .overrideProvider(ConfigEnvironment)
      .useValue(new ConfigEnvironment({ SHELF_SLOTS: '7', HTTP_PORT: '8081' }))
      .compile();

    const shelf = module.get(Shelf);
    expect(shelf.config).toEqual({ slots: 7 });
    expect(shelf.http.port).toBe(8081);
    await module.close();
  });

  it('fails the module when its section is invalid, naming the variable', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        ConfigModule,
        {
          module: class ShelfModule {},
          imports: [ConfigModule.forFeature(shelfConfig)],
          providers: [Shelf],
        },
      ],
    })
      .overrideProvider(ConfigEnvironment)
      .useValue(new ConfigEnvironment({ SHELF_SLOTS: '0' }))
      .compile();

    await expect(compiling).rejects.toThrow(/SHELF_SLOTS must not be less than 1/);
  });
});
