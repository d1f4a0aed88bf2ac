import { IsOptional, IsString, Length } from 'class-validator';

/**
 * The seed app's session, typed: validated when loaded and before it is saved. A cookie holding
 * anything else (say `user: 42`) is reset to a fresh session, with a `session:invalid` event.
 */
export class SeedSession {
  @IsOptional() @IsString() @Length(1, 64) user?: string;
}
