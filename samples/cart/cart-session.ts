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
 * The shopping session. `whitelist` drops keys no decorator declares (old fields after a deploy);
 * stored data that fails the schema is reset to an empty cart (the default policy).
 */
@SessionSchema({ whitelist: true })
export class CartSession {
  @ValidateNested({ each: true }) @Type(() => CartLine) @ArrayMaxSize(20) lines: CartLine[] = [];
  @IsOptional() @IsString() @Length(1, 32) customer?: string;
  @IsOptional() @IsDate() @Type(() => Date) updatedAt?: Date;
}
