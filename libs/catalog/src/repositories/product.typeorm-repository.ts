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
  type StockWithdrawal,
} from './product.repository.js';

/** Constraint name fixed by the migration; the adapter translates its violation into a domain error. */
export const PRODUCTS_SKU_UNIQUE = 'products_sku_key';

/**
 * How many products on sale, in the listing's order, a text search reads before it stops walking
 * the sort index: 1-6 ms for 2,000 under load. A word on more than about 1 %
 * of the catalog, spread over the order, fills a page of 21 within them (most searches, one
 * statement); a rarer word has few matches, cheap to fetch whole through the GIN index and sort.
 * Measured over 100k products in docs/adr/0043-postgres-full-text-search.md.
 */
export const SEARCH_WALK_BUDGET = 2000;

/**
 * The configuration ('english') must be the generated search_vector column's, to match its stems.
 * websearch_to_tsquery accepts whatever a user types (quotes, OR, -word) without syntax errors.
 */
const MATCHES = `search_vector @@ websearch_to_tsquery('english', :text)`;

/**
 * ProductRecord's properties as columns of `catalog.products p`, for the statements written out
 * (ADR 0058); pg returns the bigint as a string (see toProduct).
 */
const PRODUCT_COLUMNS = `
  p.id, p.sku, p.name, p.description, p.price_amount AS "priceAmount",
  p.price_currency AS "priceCurrency", p.stock, p.active, p.version,
  p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;
type ProductRow = Omit<ProductRecord, 'priceAmount'> & { readonly priceAmount: string };
const toProduct = (row: ProductRow): Product =>
  ProductMapper.toDomain({ ...row, priceAmount: Number(row.priceAmount) });

/**
 * findById's statement, written out: by id is the catalog's hottest read (every cache miss), and
 * TypeORM's findOneBy built, escaped and hydrated it anew on each call, 13 % of the process's CPU
 * in an uncached product read (bench/RESULTS.md, 2026-12-07 16:56).
 */
const SELECT_BY_ID = `SELECT ${PRODUCT_COLUMNS} FROM catalog.products p WHERE p.id = $1`;

/**
 * withdrawStock's statement: every line in one round trip, returning the rows it took stock from
 * (a statement per line and a SELECT to price them before, most of an order's catalog work). The
 * rows are locked in id order first, so two withdrawals sharing products cannot deadlock whatever
 * plan the UPDATE gets. Each line stays a guarded decrement: a row a concurrent withdrawal changed
 * is re-checked as it committed it, so stock never goes below zero. The UPDATE sits in a WITH
 * because TypeORM answers a top-level UPDATE with [rows, count] and a SELECT with its rows.
 */
const WITHDRAW_STOCK = `
  WITH line AS MATERIALIZED (
         SELECT * FROM unnest($1::uuid[], $2::integer[]) AS line(product_id, quantity)),
       locked AS MATERIALIZED (
         SELECT p.id FROM catalog.products p JOIN line ON line.product_id = p.id
          ORDER BY p.id FOR UPDATE OF p),
       withdrawn AS (
         UPDATE catalog.products p
            SET stock = p.stock - line.quantity, version = p.version + 1, updated_at = $3
           FROM line
          WHERE p.id = line.product_id AND p.id IN (SELECT id FROM locked)
            AND p.active AND p.stock >= line.quantity
         RETURNING ${PRODUCT_COLUMNS})
  SELECT * FROM withdrawn`;

/** Sort fields are a closed list mapped to columns here, so no request text ever reaches the SQL. */
const SORT_COLUMNS: Record<ProductSortField, { column: string; type: string }> = {
  name: { column: 'name', type: 'varchar' },
  price: { column: 'price_amount', type: 'bigint' },
  createdAt: { column: 'created_at', type: 'timestamptz' },
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
    const [row] = await this.transactions.manager.query<ProductRow[]>(SELECT_BY_ID, [id]);
    return row ? toProduct(row) : null;
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

  /**
   * On a read replica when there is one: a listing may lag the primary by the replication delay.
   * A text search first walks the sort order for SEARCH_WALK_BUDGET products; when they hold less
   * than a page, it sorts every match found through the GIN index instead. Left to itself the
   * planner walks for rare words too, whose matches its statistics overestimate, and reads the
   * whole table to find one product or none (ADR 0043).
   */
  async search(search: ProductSearch): Promise<Product[]> {
    const records = await this.replicas.read(async (manager) => {
      const rows = manager.getRepository(ProductRecord);
      if (search.text === undefined) return this.listing(rows, search).getMany();
      const walked = await this.walkSortOrder(rows, search, search.text, SEARCH_WALK_BUDGET);
      if (walked.length === search.limit) return walked;
      return this.sortMatches(rows, search, search.text);
    });
    return records.map((record) => ProductMapper.toDomain(record));
  }

  /**
   * The matches among the first `budget` products on sale after the position, in the listing's
   * order: a full page unless the word is rare or its matches lie further down the order.
   */
  protected walkSortOrder(
    rows: Repository<ProductRecord>,
    search: ProductSearch,
    text: string,
    budget: number,
  ): Promise<ProductRecord[]> {
    const { column } = SORT_COLUMNS[search.sort];
    const direction = this.direction(search);
    // Inside ARRAY(...) the planner cannot trade the walk for its own plan: the inner LIMIT bounds
    // the index rows read, the outer one stops at a page of matches.
    return this.listing(rows, search, { seek: false })
      .andWhere(
        `p.id = ANY(ARRAY(
           SELECT w.id FROM (
             SELECT s.id, s.${column}, s.search_vector FROM catalog.products s
              WHERE s.active${this.andAfterPosition('s', search)}
              ORDER BY s.${column} ${direction}, s.id ${direction}
              LIMIT :budget) AS w
            WHERE w.${MATCHES}
            ORDER BY w.${column} ${direction}, w.id ${direction}
            LIMIT :limit))`,
        { text, budget, limit: search.limit, ...this.seekParameters(search) },
      )
      .getMany();
  }

  /** Every match after the position, found through the GIN index, sorted: cheap when they are few. */
  protected sortMatches(
    rows: Repository<ProductRecord>,
    search: ProductSearch,
    text: string,
  ): Promise<ProductRecord[]> {
    const { column } = SORT_COLUMNS[search.sort];
    const direction = this.direction(search);
    // MATERIALIZED plans the matches on their own, so the planner cannot go back to walking the
    // sort index filtering product by product: it fetches them (GIN) with the sort column, sorts
    // them, and only the page's products are read again, by primary key.
    return this.listing(rows, search, { seek: false })
      .andWhere(
        `p.id = ANY(ARRAY(
           WITH matches AS MATERIALIZED (
             SELECT m.id, m.${column} FROM catalog.products m
              WHERE m.active AND m.${MATCHES}${this.andAfterPosition('m', search)})
           SELECT matches.id FROM matches
            ORDER BY matches.${column} ${direction}, matches.id ${direction}
            LIMIT :limit))`,
        { text, limit: search.limit, ...this.seekParameters(search) },
      )
      .getMany();
  }

  /** Products on sale in the listing's order, one page, after the position unless told otherwise. */
  private listing(
    rows: Repository<ProductRecord>,
    search: ProductSearch,
    { seek } = { seek: true },
  ): SelectQueryBuilder<ProductRecord> {
    const { column } = SORT_COLUMNS[search.sort];
    const direction = this.direction(search);
    const query = rows
      .createQueryBuilder('p')
      .where('p.active')
      .orderBy(`p.${column}`, direction)
      .addOrderBy('p.id', direction)
      .limit(search.limit);
    const after = this.afterPosition('p', search);
    if (seek && after !== undefined) query.andWhere(after, this.seekParameters(search));
    return query;
  }

  private direction(search: ProductSearch): 'ASC' | 'DESC' {
    return search.order === 'asc' ? 'ASC' : 'DESC';
  }

  /**
   * After the position, as a row comparison, so the partial (column, id) index serves the seek
   * directly; undefined for a first page.
   */
  private afterPosition(alias: string, search: ProductSearch): string | undefined {
    if (search.after === undefined) return undefined;
    const { column, type } = SORT_COLUMNS[search.sort];
    const comparison = search.order === 'asc' ? '>' : '<';
    return `(${alias}.${column}, ${alias}.id) ${comparison} (CAST(:value AS ${type}), CAST(:id AS uuid))`;
  }

  /** The position as a further condition of a subquery's WHERE, or nothing for a first page. */
  private andAfterPosition(alias: string, search: ProductSearch): string {
    const after = this.afterPosition(alias, search);
    return after === undefined ? '' : ` AND ${after}`;
  }

  private seekParameters(search: ProductSearch): Record<string, unknown> {
    return search.after === undefined ? {} : { value: search.after.value, id: search.after.id };
  }

  async withdrawStock(lines: readonly StockLine[], now: Date): Promise<StockWithdrawal> {
    const rows = await this.transactions.manager.query<ProductRow[]>(WITHDRAW_STOCK, [
      lines.map((line) => line.productId),
      lines.map((line) => line.quantity),
      now,
    ]);
    const withdrawn = new Set(rows.map((row) => row.id));
    // pg writes uuids in lower case, whatever case the request used.
    const failed = lines.filter((line) => !withdrawn.has(line.productId.toLowerCase()));
    if (failed.length > 0) return { products: [], failures: await this.explainFailures(failed) };
    return { products: rows.map(toProduct), failures: [] };
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
