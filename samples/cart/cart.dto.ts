import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** The body of POST /cart/items, validated before the handler runs (a 400 listing the fields otherwise). */
export class AddItemDto {
  @IsString() @Length(1, 32) sku!: string;
  @IsOptional() @IsInt() @Min(1) @Max(99) qty?: number;
}

/** The body of POST /cart/login. */
export class LoginDto {
  @IsString() @Length(1, 32) name!: string;
}
