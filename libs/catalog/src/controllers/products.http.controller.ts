import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Public, Roles } from '#lib/guards';
import { ApiProblemResponses } from '#lib/http-problems';
import type { FastifyReply } from 'fastify';
import { CatalogSettings } from '../services/catalog-settings.js';
import { CreateProductService } from '../services/create-product.service.js';
import { DeactivateProductService } from '../services/deactivate-product.service.js';
import { GetProductService } from '../services/get-product.service.js';
import { ListProductsService } from '../services/list-products.service.js';
import { UpdateProductService } from '../services/update-product.service.js';
import { CreateProductRequestDto } from './dto/create-product.request.dto.js';
import { ListProductsQueryDto } from './dto/list-products.query.dto.js';
import { ProductPageResponseDto } from './dto/product-page.response.dto.js';
import { ProductResponseDto } from './dto/product.response.dto.js';
import { UpdateProductRequestDto } from './dto/update-product.request.dto.js';
import { ProductETag } from './product-etag.js';

const ETAG_HEADER = { ETag: { $ref: '#/components/headers/ETag' } };

@ApiTags('products')
@Controller({ path: 'products', version: '1' })
export class ProductsHttpController {
  constructor(
    private readonly listProducts: ListProductsService,
    private readonly getProduct: GetProductService,
    private readonly createProduct: CreateProductService,
    private readonly updateProduct: UpdateProductService,
    private readonly deactivateProduct: DeactivateProductService,
    private readonly settings: CatalogSettings,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'listProducts',
    summary: 'List products on sale',
    description:
      'Optionally filtered by full-text search (`q`), sorted by name, price (minor units, across currencies) or creation time; ties are broken by id. Follow `nextCursor` for more.',
  })
  @ApiOkResponse({ type: ProductPageResponseDto })
  @ApiProblemResponses({
    400: 'Invalid query (VALIDATION_FAILED) or a cursor that is invalid or belongs to another sort or filter (CATALOG.INVALID_CURSOR)',
  })
  async list(@Query() query: ListProductsQueryDto): Promise<ProductPageResponseDto> {
    const page = await this.listProducts.page({
      ...(query.q !== undefined && { text: query.q }),
      sort: query.sort,
      order: query.order,
      limit: query.limit,
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
    return ProductPageResponseDto.from(page);
  }

  @Get(':id')
  @Public()
  @ApiOperation({
    operationId: 'getProduct',
    summary: 'A product on sale',
    description:
      'Carries an ETag (id and version) and Cache-Control; send the ETag back as If-None-Match to get 304 while it is unchanged.',
  })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'An ETag of this product from an earlier answer',
  })
  @ApiOkResponse({ type: ProductResponseDto, headers: ETAG_HEADER })
  @ApiNotModifiedResponse({
    description: 'The product is unchanged since the ETag sent as If-None-Match; no body',
    headers: ETAG_HEADER,
  })
  @ApiProblemResponses({
    400: 'VALIDATION_FAILED: the id is not a UUID',
    404: 'CATALOG.PRODUCT_NOT_FOUND: no such product, or off sale',
  })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponseDto | undefined> {
    const product = await this.getProduct.onSale(id);
    const etag = ProductETag.of(product);
    void reply
      .header('etag', etag)
      .header('cache-control', `public, max-age=${this.settings.httpMaxAgeSeconds}`);
    if (ProductETag.matchesNoneMatch(ifNoneMatch, etag)) {
      void reply.status(HttpStatus.NOT_MODIFIED);
      return undefined;
    }
    return ProductResponseDto.from(product);
  }

  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'createProduct', summary: 'Create a product (admin)' })
  @ApiCreatedResponse({
    type: ProductResponseDto,
    headers: {
      ...ETAG_HEADER,
      Location: { description: 'The product: /v1/products/{id}', schema: { type: 'string' } },
    },
  })
  @ApiProblemResponses({
    400: 'Invalid body (VALIDATION_FAILED, CATALOG.INVALID_SKU, CATALOG.INVALID_CURRENCY, CATALOG.INVALID_PRODUCT)',
    409: 'CATALOG.SKU_TAKEN',
  })
  async create(
    @Body() body: CreateProductRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponseDto> {
    const product = await this.createProduct.create({
      sku: body.sku,
      name: body.name,
      ...(body.description !== undefined && { description: body.description }),
      priceAmount: body.price.amountMinor,
      currency: body.price.currency,
      stock: body.stock,
    });
    void reply
      .header('location', `/v1/products/${product.id}`)
      .header('etag', ProductETag.of(product));
    return ProductResponseDto.from(product);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    operationId: 'updateProduct',
    summary: 'Edit a product, stock included (admin)',
    description:
      'Optimistic concurrency: the edit names the version it is based on, as If-Match (the ETag) or a `version` field. If the product changed since, nothing is written and the answer is 409 CATALOG.VERSION_CONFLICT with `currentVersion`: read it again and reapply. Stock reservations by orders change the version too.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the edit is based on' })
  @ApiOkResponse({ type: ProductResponseDto, headers: ETAG_HEADER })
  @ApiProblemResponses({
    400: 'Invalid body (VALIDATION_FAILED, CATALOG.INVALID_*), no version given (CATALOG.PRECONDITION_REQUIRED) or a malformed If-Match (CATALOG.INVALID_PRECONDITION)',
    404: 'CATALOG.PRODUCT_NOT_FOUND',
    409: 'CATALOG.VERSION_CONFLICT: the product changed since; `currentVersion` says to what',
  })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateProductRequestDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponseDto> {
    const product = await this.updateProduct.update({
      productId: id,
      expectedVersion: ProductETag.expectedVersion(id, ifMatch, body.version),
      ...(body.name !== undefined && { name: body.name }),
      ...(body.description !== undefined && { description: body.description }),
      ...(body.price !== undefined && {
        price: { amount: body.price.amountMinor, currency: body.price.currency },
      }),
      ...(body.stock !== undefined && { stock: body.stock }),
      ...(body.active !== undefined && { active: body.active }),
    });
    void reply.header('etag', ProductETag.of(product));
    return ProductResponseDto.from(product);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'deactivateProduct',
    summary: 'Take a product off sale (admin)',
    description:
      'The product stays on record for the orders that refer to it, and its SKU stays taken. Idempotent. If-Match is optional here.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the removal is based on' })
  @ApiNoContentResponse({ description: 'The product is off sale' })
  @ApiProblemResponses({
    400: 'VALIDATION_FAILED (the id is not a UUID) or a malformed If-Match (CATALOG.INVALID_PRECONDITION)',
    404: 'CATALOG.PRODUCT_NOT_FOUND',
    409: 'CATALOG.VERSION_CONFLICT (only with If-Match)',
  })
  async deactivate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    const expectedVersion = ProductETag.optionalVersion(id, ifMatch);
    await this.deactivateProduct.deactivate({
      productId: id,
      ...(expectedVersion !== undefined && { expectedVersion }),
    });
  }
}
