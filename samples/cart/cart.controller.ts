import { Body, Controller, Delete, Get, Param, Post, SessionService } from 'koa-typed-session/decorators';
import { AddItemDto, LoginDto } from './cart.dto';
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

  /** The body is a validated DTO; the session schema then validates what is stored (qty 1-99 per line). */
  @Post('/items')
  add(@Body() item: AddItemDto): Promise<CartView> {
    return this.cart.add(item.sku, item.qty ?? 1);
  }

  @Delete('/items/:sku')
  remove(@Param('sku') sku: string): Promise<CartView> {
    return this.cart.remove(sku);
  }

  @Post('/login')
  login(@Body() body: LoginDto): Promise<CartView> {
    return this.cart.login(body.name);
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
