import { Body, Controller, Delete, Get, Param, Post, SessionService } from 'koa-typed-session/decorators';
import { CartService, type CartView } from './cart.service';

/** HTTP endpoints of the cart; the logic lives in CartService. */
@Controller('/cart')
export class CartController {
  constructor(
    private readonly cart: CartService,
    private readonly sessions: SessionService,
  ) {}

  @Get('/')
  show(): Promise<CartView> {
    return this.cart.view();
  }

  @Post('/items')
  add(@Body('sku') sku: unknown, @Body('qty') qty: unknown): Promise<CartView> {
    // The session schema validates what is stored (qty 1-99, sku format); the body is only shaped here.
    return this.cart.add(String(sku), typeof qty === 'number' ? qty : 1);
  }

  @Delete('/items/:sku')
  remove(@Param('sku') sku: string): Promise<CartView> {
    return this.cart.remove(sku);
  }

  @Post('/login')
  login(@Body('name') name: unknown): Promise<CartView> {
    return this.cart.login(String(name));
  }

  @Post('/checkout')
  checkout(): Promise<CartView> {
    return this.cart.checkout();
  }

  @Post('/logout')
  logout(): void {
    this.sessions.destroy();
  }
}
