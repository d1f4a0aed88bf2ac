import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

/** A parsed form: the typed value, or the first message explaining what is wrong with it. */
export type FormResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Turns a request body (`@Body()`, as `@koa/bodyparser` parsed it) into an instance of `form` and
 * validates it with class-validator. The decorator module validates sessions, not bodies, so the
 * demo does this step itself; unknown fields are refused.
 */
export async function parseForm<T extends object>(form: new () => T, body: unknown): Promise<FormResult<T>> {
  const plain = typeof body === 'object' && body !== null ? body : {};
  const value = plainToInstance(form, plain);
  const errors = await validate(value, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  const first = errors[0];
  if (!first) return { ok: true, value };
  return { ok: false, message: Object.values(first.constraints ?? {})[0] ?? `${first.property} is invalid` };
}
