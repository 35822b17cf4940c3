import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { repoPath } from './support/repository.js';

const run = promisify(execFile);

// A small repository with the real layout: two contexts (they have src/domain/), the kernel,
// contracts and a platform library. Every import in it is allowed.
const ALLOWED_TREE: Record<string, string> = {
  'package.json': JSON.stringify({
    type: 'module',
    imports: { '#lib/*': { types: './libs/*/src/index.ts', default: './libs/*/src/index.ts' } },
  }),
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
  }),
  'libs/kernel/src/index.ts': 'export class DomainError extends Error {}\n',
  'libs/contracts/src/index.ts': "export const ORDER_PLACED = 'orders.v1.order-placed';\n",
  'libs/database/src/index.ts': "export { TransactionRunner } from './transaction-runner.js';\n",
  'libs/database/src/transaction-runner.ts': 'export class TransactionRunner {}\n',
  'libs/database/src/testing/fake-transaction-runner.ts': 'export class FakeTransactionRunner {}\n',
  'libs/orders/src/index.ts': "export { Order } from './domain/order.js';\n",
  'libs/orders/src/domain/order-line.ts': 'export class OrderLine {}\n',
  'libs/orders/src/domain/order.ts': [
    "import { randomUUID } from 'node:crypto';",
    "import { ORDER_PLACED } from '#lib/contracts';",
    "import { DomainError } from '#lib/kernel';",
    "import { OrderLine } from './order-line.js';",
    'export class Order { id = randomUUID(); lines: OrderLine[] = []; event = ORDER_PLACED; }',
    'export class OrderNotFound extends DomainError {}',
    '',
  ].join('\n'),
  'libs/orders/src/services/place-order.service.ts': [
    "import { TransactionRunner } from '#lib/database';",
    "import { Order } from '../domain/order.js';",
    'export class PlaceOrderService { constructor(readonly tx: TransactionRunner, readonly order: Order) {} }',
    '',
  ].join('\n'),
  'libs/catalog/src/index.ts': "export { Product } from './domain/product.js';\n",
  'libs/catalog/src/domain/product.ts': 'export class Product {}\n',
  'apps/shop/src/main.ts':
    "import { Order } from '#lib/orders';\nexport const order = new Order();\n",
};

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

const fixtures: string[] = [];
afterAll(() => fixtures.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Runs the repository's rules on the allowed tree plus `extra` files; returns the broken rules. */
async function brokenRules(extra: Record<string, string> = {}): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'import-rules-'));
  fixtures.push(root);
  for (const [path, text] of Object.entries({ ...ALLOWED_TREE, ...extra })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  symlinkSync(repoPath('node_modules'), join(root, 'node_modules'), 'dir');
  const cruise = run(
    repoPath('node_modules/.bin/depcruise'),
    ['apps', 'libs', '--config', repoPath('.dependency-cruiser.cjs'), '--output-type', 'json'],
    { cwd: root, maxBuffer: 32 * 1024 * 1024 },
  );
  // depcruise exits non-zero when it finds errors; the JSON report is on stdout either way.
  const { stdout } = await cruise.catch((error: { stdout?: string }) => ({
    stdout: error.stdout ?? '',
  }));
  const report = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  return [...new Set(report.summary.violations.map((violation) => violation.rule.name))].sort();
}

describe('import rules (.dependency-cruiser.cjs)', () => {
  it('accept the allowed layout', async () => {
    expect(await brokenRules()).toEqual([]);
  });

  it.each([
    [
      'a library reached past its entry point',
      {
        'libs/orders/src/services/commit.ts':
          "export { TransactionRunner } from '../../../database/src/transaction-runner.js';\n",
      },
      ['lib-imported-through-its-entry-point'],
    ],
    [
      "an app reached into a library's internals",
      {
        'apps/shop/src/order.ts':
          "export { Order } from '../../../libs/orders/src/domain/order.js';\n",
      },
      ['lib-imported-through-its-entry-point'],
    ],
    [
      'a domain importing only a type from TypeORM',
      {
        'libs/orders/src/domain/order-row.ts':
          "import type { Repository } from 'typeorm';\nexport type Rows = Repository<object>;\n",
      },
      ['domain-is-plain-typescript'],
    ],
    [
      'a domain importing Nest',
      {
        'libs/orders/src/domain/order-module.ts':
          "import type { Type } from '@nestjs/common';\nexport type OrderType = Type<object>;\n",
      },
      ['domain-is-plain-typescript'],
    ],
    [
      "a domain importing its own context's services",
      {
        'libs/orders/src/domain/order-helper.ts':
          "export { PlaceOrderService } from '../services/place-order.service.js';\n",
      },
      ['domain-is-plain-typescript'],
    ],
    [
      "a domain importing a platform library's entry point",
      {
        'libs/orders/src/domain/order-tx.ts':
          "export { TransactionRunner } from '#lib/database';\n",
      },
      ['domain-is-plain-typescript'],
    ],
    [
      'an index exporting its testing kit',
      {
        'libs/database/src/index.ts':
          "export { FakeTransactionRunner } from './testing/fake-transaction-runner.js';\n",
      },
      ['testing-kit-not-exported'],
    ],
    [
      'a new platform library importing a context',
      { 'libs/search/src/index.ts': "export { Product } from '#lib/catalog';\n" },
      ['no-platform-to-context'],
    ],
    [
      'a new context importing another context',
      {
        'libs/shipping/src/domain/shipment.ts': 'export class Shipment {}\n',
        'libs/shipping/src/index.ts': "export { Order } from '#lib/orders';\n",
      },
      ['no-cross-context-imports'],
    ],
  ])('reject %s', async (_situation, files, rules) => {
    expect(await brokenRules(files)).toEqual(rules);
  });
});
