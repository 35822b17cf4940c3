import { Injectable } from '@nestjs/common';
import { isUniqueViolation, ReadReplicas, TransactionRunner } from '#lib/database';
import { In, type Repository, type SelectQueryBuilder } from 'typeorm';
import type { Product } from '../domain/product.js';
import { SkuTakenError } from '../domain/product.errors.js';
import type { StockLine } from '../domain/stock-lines.js';
import { ProductMapper } from './product.mapper.js';
import { ProductRecord } from './product.record.js';
import {
  ProductRepository,
  type ProductSearch,
  type ProductSortField,
  type StockFailure,
} from './product.repository.js';

/** Constraint name fixed by the migration; the adapter translates its violation into a domain error. */
export const PRODUCTS_SKU_UNIQUE = 'products_sku_key';

/** The text search configuration of the generated search_vector column: queries must use the same. */
const TEXT_SEARCH_CONFIG = 'english';

/** Sort fields are a closed list mapped to columns here, so no request text ever reaches the SQL. */
const SORT_COLUMNS: Record<ProductSortField, { column: string; type: string }> = {
  name: { column: 'p.name', type: 'varchar' },
  price: { column: 'p.price_amount', type: 'bigint' },
  createdAt: { column: 'p.created_at', type: 'timestamptz' },
};

@Injectable()
export class TypeormProductRepository extends ProductRepository {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly replicas: ReadReplicas,
  ) {
    super();
  }

  /** Resolved per call, so a call inside TransactionRunner.run joins its transaction. */
  private get rows(): Repository<ProductRecord> {
    return this.transactions.manager.getRepository(ProductRecord);
  }

  async insert(product: Product): Promise<void> {
    try {
      await this.rows.insert(ProductMapper.toRecord(product));
    } catch (error) {
      if (isUniqueViolation(error, PRODUCTS_SKU_UNIQUE)) throw new SkuTakenError(product.sku);
      throw error;
    }
  }

  async findById(id: string): Promise<Product | null> {
    const record = await this.rows.findOneBy({ id });
    return record ? ProductMapper.toDomain(record) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Product[]> {
    if (ids.length === 0) return [];
    const records = await this.rows.findBy({ id: In([...ids]) });
    return records.map((record) => ProductMapper.toDomain(record));
  }

  async saveIfVersion(product: Product, expectedVersion: number): Promise<boolean> {
    const record = ProductMapper.toRecord(product);
    const result = await this.rows
      .createQueryBuilder()
      .update(ProductRecord)
      .set({
        name: record.name,
        description: record.description,
        priceAmount: record.priceAmount,
        priceCurrency: record.priceCurrency,
        stock: record.stock,
        active: record.active,
        version: record.version,
        updatedAt: record.updatedAt,
      })
      // The version check and the write are one statement: no other writer can slip in between.
      .where('id = :id AND version = :expectedVersion', { id: record.id, expectedVersion })
      .execute();
    return result.affected === 1;
  }

  /** On a read replica when there is one: a listing may lag the primary by the replication delay. */
  async search(search: ProductSearch): Promise<Product[]> {
    const records = await this.replicas.read((manager) =>
      this.searchQuery(manager.getRepository(ProductRecord), search).getMany(),
    );
    return records.map((record) => ProductMapper.toDomain(record));
  }

  private searchQuery(
    rows: Repository<ProductRecord>,
    search: ProductSearch,
  ): SelectQueryBuilder<ProductRecord> {
    const { column, type } = SORT_COLUMNS[search.sort];
    const direction = search.order === 'asc' ? 'ASC' : 'DESC';
    const query = rows
      .createQueryBuilder('p')
      .where('p.active')
      .orderBy(column, direction)
      .addOrderBy('p.id', direction)
      .limit(search.limit);
    if (search.text !== undefined) {
      // websearch_to_tsquery accepts whatever a user types (quotes, OR, -word) without syntax errors.
      query.andWhere(`p.search_vector @@ websearch_to_tsquery('${TEXT_SEARCH_CONFIG}', :text)`, {
        text: search.text,
      });
    }
    if (search.after !== undefined) {
      // A row comparison, so the partial (column, id) index serves the seek directly.
      query.andWhere(
        `(${column}, p.id) ${direction === 'ASC' ? '>' : '<'} (CAST(:value AS ${type}), CAST(:id AS uuid))`,
        { value: search.after.value, id: search.after.id },
      );
    }
    return query;
  }

  async withdrawStock(lines: readonly StockLine[], now: Date): Promise<StockFailure[]> {
    const failed: StockLine[] = [];
    for (const line of lines) {
      // Guarded decrement: under concurrency Postgres re-checks the WHERE against the row as the
      // previous writer committed it, so stock never goes below zero and no lock is held longer
      // than the transaction. Lines arrive sorted by id, so two reservations lock rows in the same order.
      const result = await this.transactions.manager
        .createQueryBuilder()
        .update(ProductRecord)
        .set({
          stock: () => 'stock - :quantity',
          version: () => 'version + 1',
          updatedAt: now,
        })
        .where('id = :id AND active AND stock >= :quantity', {
          id: line.productId,
          quantity: line.quantity,
        })
        .execute();
      if (result.affected !== 1) failed.push(line);
    }
    return failed.length === 0 ? [] : this.explainFailures(failed);
  }

  async putBackStock(lines: readonly StockLine[], now: Date): Promise<void> {
    for (const line of lines) {
      await this.transactions.manager
        .createQueryBuilder()
        .update(ProductRecord)
        .set({ stock: () => 'stock + :quantity', version: () => 'version + 1', updatedAt: now })
        .where('id = :id', { id: line.productId, quantity: line.quantity })
        .execute();
    }
  }

  private async explainFailures(failed: readonly StockLine[]): Promise<StockFailure[]> {
    const products = await this.findByIds(failed.map((line) => line.productId));
    const byId = new Map(products.map((product) => [product.id, product]));
    return failed.map((line): StockFailure => {
      const product = byId.get(line.productId);
      if (!product) return { productId: line.productId, reason: 'unknown' };
      if (!product.active) return { productId: line.productId, reason: 'inactive' };
      return { productId: line.productId, reason: 'insufficient', requested: line.quantity };
    });
  }
}
