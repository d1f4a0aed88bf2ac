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

// The decorator layer taken apart (`npm run bench -- micro`, micro-only scenarios): the same app
// with less and less of the layer's work, so the µs between two of them is one layer's cost.

/** The same class without validators: class-transformer converts, nothing is validated. */
class UnvalidatedViewSession {
  view = 0;
  user?: string;
}

@Controller('/')
class UnvalidatedController {
  @Get('/')
  count(@Session() s: UnvalidatedViewSession): string {
    s.view++;
    return `${s.view} views`;
  }
}

@Controller('/')
class UntypedController {
  @Get('/')
  count(@Session() s: Record<string, unknown>): string {
    s.view = ((s.view as number | undefined) ?? 0) + 1;
    return `${String(s.view)} views`;
  }
}

@Controller('/')
class NoSessionController {
  @Get('/')
  hello(): string {
    return 'hello';
  }
}

/** Typed `@Session()` whose class has no validators: the cost of class-transformer alone. */
export function decoratorUnvalidatedApp(): DecoratedApp {
  return createApp({ keys: BENCH_KEYS, imports: [SessionModule.forRoot({})], controllers: [UnvalidatedController] });
}

/** Untyped `@Session()`: the engine through the decorator module, no conversion, no validation. */
export function decoratorUntypedApp(): DecoratedApp {
  return createApp({ keys: BENCH_KEYS, imports: [SessionModule.forRoot({})], controllers: [UntypedController] });
}

/** A route that never touches the session: the framework (router, error mapper, scope, body parser). */
export function decoratorNoSessionApp(): DecoratedApp {
  return createApp({ keys: BENCH_KEYS, imports: [SessionModule.forRoot({})], controllers: [NoSessionController] });
}
