import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { Controller, Get, Session, SessionModule, createApp, type DecoratedApp } from 'koa-typed-session/decorators';
import { BENCH_KEYS } from './counter';

/** The typed session: a class, validated on load and before save. */
class ViewSession {
  @IsInt() @Min(0) view = 0;
  @IsOptional() @IsString() user?: string;
}

@Controller('/')
class ViewsController {
  @Get('/')
  count(@Session() s: ViewSession): string {
    s.view++;
    return `${s.view} views`;
  }
}

/** Our decorator stack: createApp, SessionModule, a controller with a typed, validated, live @Session(). */
export function decoratorApp(): DecoratedApp {
  return createApp({ keys: BENCH_KEYS, imports: [SessionModule.forRoot({})], controllers: [ViewsController] });
}
