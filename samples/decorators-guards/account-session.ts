import { IsArray, IsOptional, IsString } from 'class-validator';

/** The typed session: who is logged in, with which roles. */
export class AccountSession {
  @IsOptional() @IsString() user?: string;
  @IsArray() @IsString({ each: true }) roles: string[] = [];
}
