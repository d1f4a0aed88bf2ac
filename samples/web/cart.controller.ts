import type { Context } from 'koa';
import { type FlashBag } from 'koa-typed-session';
import {
  Session,
  Body,
  Controller,
  Ctx,
  Flash,
  FlashService,
  FormRedirect,
  Get,
  Post,
} from 'koa-typed-session/decorators';
import { firstError, PageStateService } from './page-state.service';
import { cartPage } from './views';
import { AddToCartForm, CartLine, CATALOGUE, FORM, WebSession, type WebFlash } from './web-session';

/** Back to the cart with 303 (Post/Redirect/Get: a reload does not re-submit). */
function backToCart(ctx: Context): void {
  ctx.redirect('/cart');
  ctx.status = 303;
}

/** The cart, kept in the typed session (validated on load and before every save). */
@Controller('/cart')
export class CartController {
  constructor(
    private readonly pages: PageStateService,
    private readonly flash: FlashService,
  ) {}

  /** The cart page, with the error of a refused "add" (flashed before the redirect). */
  @Get('/')
  show(@Session() s: WebSession, @Flash() flash: FlashBag<WebFlash>): string {
    return cartPage(this.pages.of(s, flash), this.pages.cartLines(s), CATALOGUE, firstError(flash));
  }

  /** Adds a line (or more of an item already in the cart); a bad form goes back with the error flashed. */
  @Post('/add')
  @FormRedirect('/cart')
  add(@Body(FORM) form: AddToCartForm, @Session() s: WebSession, @Ctx() ctx: Context): void {
    const { sku, quantity } = form;
    const line = s.cart.find((l) => l.sku === sku);
    if (line && line.quantity + quantity > 99) {
      // The session schema would refuse it too (SessionValidationError, nothing saved); say it nicely.
      this.flash.set('errors', { quantity: ['quantity: at most 99 of one item'] });
    } else if (line) line.quantity += quantity;
    // An instance, not a plain object: the schema validates nested lines by their class.
    else s.cart.push(Object.assign(new CartLine(), { sku, quantity }));
    backToCart(ctx);
  }

  /** Empties the cart. */
  @Post('/clear')
  clear(@Session() s: WebSession, @Ctx() ctx: Context): void {
    s.cart = [];
    backToCart(ctx);
  }
}
