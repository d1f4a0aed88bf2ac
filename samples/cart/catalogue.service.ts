import { injectable } from 'tsyringe';

/** An item of the catalogue. */
export interface Product {
  sku: string;
  name: string;
  /** Price in cents. */
  price: number;
}

/** A product that does not exist: a 404 the app's error mapping turns into JSON. */
export class UnknownProductError extends Error {
  readonly status = 404;
  readonly expose = true;
  readonly code = 'ERR_UNKNOWN_PRODUCT';

  constructor(sku: string) {
    super(`No product ${sku} in the catalogue.`);
  }
}

/** The products on sale (a fixed list: the sample is about sessions, not databases). */
@injectable()
export class CatalogueService {
  private readonly products = new Map<string, Product>(
    [
      { sku: 'TEA-001', name: 'Green tea', price: 450 },
      { sku: 'TEA-002', name: 'Black tea', price: 390 },
      { sku: 'MUG-001', name: 'Mug', price: 1200 },
    ].map((p) => [p.sku, p]),
  );

  find(sku: string): Product {
    const product = this.products.get(sku);
    if (!product) throw new UnknownProductError(sku);
    return product;
  }
}
