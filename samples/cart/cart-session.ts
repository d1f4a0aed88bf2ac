import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsDate,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SessionSchema } from 'koa-typed-session/decorators';

/** One line of the cart. */
export class CartLine {
  @Matches(/^[A-Z]{3}-\d{3}$/) sku = '';
  @IsInt() @Min(1) @Max(99) qty = 1;
}

/**
 * The shopping session. With `whitelist` the schema sees, validates and writes only the keys it
 * declares: other code's keys in the same session are left alone. `obsoleteKeys` removes the key of
 * the cart's previous version. Stored data that fails the schema is reset to an empty cart (the
 * default policy), again touching only the schema's own keys.
 */
@SessionSchema({ whitelist: true, obsoleteKeys: ['cart'] })
export class CartSession {
  @ValidateNested({ each: true }) @Type(() => CartLine) @ArrayMaxSize(20) lines: CartLine[] = [];
  @IsOptional() @IsString() @Length(1, 32) customer?: string;
  @IsOptional() @IsDate() @Type(() => Date) updatedAt?: Date;
}
