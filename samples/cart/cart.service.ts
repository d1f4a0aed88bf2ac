import { injectable } from 'tsyringe';
import { SessionService } from 'koa-typed-session/decorators';
import { CartLine, CartSession } from './cart-session';
import { CatalogueService } from './catalogue.service';

/** What the cart endpoints answer. */
export interface CartView {
  customer: string | null;
  lines: Array<{ sku: string; name: string; qty: number; subtotal: number }>;
  total: number;
}

/**
 * The cart's business logic. It reads and edits the current request's cart through SessionService:
 * no `ctx` is passed down, and the edits are validated and committed when the request ends.
 */
@injectable()
export class CartService {
  constructor(
    private readonly sessions: SessionService,
    private readonly catalogue: CatalogueService,
  ) {}

  async add(sku: string, qty: number): Promise<CartView> {
    this.catalogue.find(sku); // 404 for unknown products
    const cart = await this.sessions.get(CartSession);
    const line = cart.lines.find((l) => l.sku === sku);
    if (line) line.qty += qty;
    else cart.lines.push(Object.assign(new CartLine(), { sku, qty }));
    cart.updatedAt = new Date();
    return this.view();
  }

  async remove(sku: string): Promise<CartView> {
    const cart = await this.sessions.get(CartSession);
    cart.lines = cart.lines.filter((l) => l.sku !== sku);
    return this.view();
  }

  /** Login keeps the cart but moves it to a new session id (session-fixation defence). */
  async login(customer: string): Promise<CartView> {
    await this.sessions.regenerate({ keepData: true });
    (await this.sessions.get(CartSession)).customer = customer;
    return this.view();
  }

  /** Checkout empties the cart and returns what was ordered. */
  async checkout(): Promise<CartView> {
    const order = await this.view();
    const cart = await this.sessions.get(CartSession);
    cart.lines = [];
    return order;
  }

  async view(): Promise<CartView> {
    const cart = await this.sessions.get(CartSession);
    const lines = cart.lines.map((l) => {
      const product = this.catalogue.find(l.sku);
      return { sku: l.sku, name: product.name, qty: l.qty, subtotal: product.price * l.qty };
    });
    return { customer: cart.customer ?? null, lines, total: lines.reduce((sum, l) => sum + l.subtotal, 0) };
  }
}
