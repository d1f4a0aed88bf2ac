import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

/** What the shop sells: sku -> display name. */
export const CATALOGUE: Readonly<Record<string, string>> = Object.freeze({
  tea: 'Green tea',
  mug: 'Enamel mug',
  socks: 'Wool socks',
});

const SKUS = Object.keys(CATALOGUE);

/** One line of the cart, validated wherever the session is loaded or saved. */
export class CartLine {
  @IsIn(SKUS) sku!: string;
  @IsInt() @Min(1) @Max(99) quantity!: number;
}

/**
 * The typed session of the demo. The decorator module turns the stored data into an instance of
 * this class and validates it on load and before save, so a handler can never persist a cart with
 * an unknown item or a negative quantity.
 */
export class WebSession {
  @IsInt() @Min(0) views = 0;
  @IsOptional() @IsString() @Length(1, 40) user?: string;
  @ValidateNested({ each: true }) @Type(() => CartLine) @ArrayMaxSize(20) cart: CartLine[] = [];
}

/**
 * The demo's flash messages (one-shot, for the next page), typed for `FlashService.set` and
 * `@Flash() flash: FlashBag<WebFlash>`. `errors` and `old` are what `@FormRedirect` flashes.
 */
export interface WebFlash {
  /** "Logged in as …". */
  notice: string;
  /** Field errors of the form that was sent back. */
  errors: Record<string, string[]>;
  /** Its submitted values (secret fields never). */
  old: Record<string, unknown>;
}

declare module 'koa-typed-session' {
  interface FlashMessages {
    notice?: string;
  }
}

/** The body of POST /login. */
export class LoginForm {
  // Names are shown back on every page (escaped); a narrow pattern keeps the demo tidy.
  @IsString()
  @Length(1, 40)
  @Matches(/^[\p{L}\p{N} ._'-]+$/u, { message: "name may hold letters, digits, spaces and . _ ' -" })
  name!: string;
}

/** The body of POST /cart/add (form fields arrive as strings; `@Type(() => Number)` converts). */
export class AddToCartForm {
  @IsIn(SKUS) sku!: string;
  @Type(() => Number) @IsInt() @Min(1) @Max(99) quantity!: number;
}

/** Validation options of the demo's forms (`@Body(FORM)`): unknown fields are refused. */
export const FORM = { whitelist: true, forbidNonWhitelisted: true } as const;
