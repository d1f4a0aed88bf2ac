/**
 * Type tests of flash messages: compiled by `npx tsc --noEmit -p .` (never run). Each
 * `@ts-expect-error` must fail to compile.
 */
import Koa from 'koa';
import { session, type FlashBag } from 'koa-typed-session';

// The documented way to type ctx.flash: augment FlashMessages (names unlikely to clash elsewhere).
declare module 'koa-typed-session' {
  interface FlashMessages {
    typedNotice?: string;
    typedCount?: number;
  }
}

const app = new Koa();
app.keys = ['k'];
app.use(session(app));

app.use(async (ctx) => {
  ctx.flash.set('typedNotice', 'Saved');
  // @ts-expect-error a declared message keeps its declared type
  ctx.flash.set('typedNotice', 42);
  const notice: string | undefined = await ctx.flash.get('typedNotice');
  // @ts-expect-error get() answers the declared type or undefined
  const wrong: number | undefined = await ctx.flash.get('typedNotice');
  const all = await ctx.flash.all();
  const count: number | undefined = all.typedCount;
  // The form redirect's messages are declared by the library.
  const errors: Record<string, string[]> | undefined = await ctx.flash.get('errors');
  ctx.flash.keep('typedNotice');
  ctx.body = { notice, wrong, count, errors };
});

// A bag typed by the page's own interface (or class): only its names, with their types.
interface PageFlash {
  notice: string;
}
function render(flash: FlashBag<PageFlash>): string {
  // @ts-expect-error not a name of PageFlash
  flash.get('other');
  // @ts-expect-error the value must be a string
  flash.set('notice', 1);
  return flash.get('notice') ?? '';
}
void render;
