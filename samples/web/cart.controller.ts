import type { Context } from 'koa';
import { Body, Controller, Ctx, Get, Post, Session } from 'koa-typed-session/decorators';
import { parseForm } from './forms';
import { PageStateService } from './page-state.service';
import { cartPage } from './views';
import { AddToCartForm, CartLine, CATALOGUE, WebSession } from './web-session';

/** The cart, kept in the typed session (validated on load and before every save). */
@Controller('/cart')
export class CartController {
  constructor(private readonly pages: PageStateService) {}

  /** The cart page. */
  @Get('/')
  show(@Session() s: WebSession): string {
    return cartPage(this.pages.of(s), this.pages.cartLines(s), CATALOGUE);
  }

  /** Adds a line (or more of an item already in the cart); a bad form re-renders with a message. */
  @Post('/add')
  async add(@Body() body: unknown, @Session() s: WebSession, @Ctx() ctx: Context): Promise<string | undefined> {
    const form = await parseForm(AddToCartForm, body);
    if (!form.ok) {
      ctx.status = 400;
      return cartPage(this.pages.of(s), this.pages.cartLines(s), CATALOGUE, form.message);
    }
    const { sku, quantity } = form.value;
    const line = s.cart.find((l) => l.sku === sku);
    if (line && line.quantity + quantity > 99) {
      // The session schema would refuse it too (SessionValidationError, nothing saved); say it nicely.
      ctx.status = 400;
      return cartPage(this.pages.of(s), this.pages.cartLines(s), CATALOGUE, 'quantity: at most 99 of one item');
    }
    if (line) line.quantity += quantity;
    // An instance, not a plain object: the schema validates nested lines by their class.
    else s.cart.push(Object.assign(new CartLine(), { sku, quantity }));
    ctx.redirect('/cart');
    ctx.status = 303;
    return undefined;
  }

  /** Empties the cart. */
  @Post('/clear')
  clear(@Session() s: WebSession, @Ctx() ctx: Context): void {
    s.cart = [];
    ctx.redirect('/cart');
    ctx.status = 303;
  }
}
