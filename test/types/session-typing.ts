/**
 * Type tests: compiled by `npx tsc --noEmit -p .` (never run). Each `@ts-expect-error` must fail to
 * compile; if one stops failing, tsc reports the unused directive and the type check fails.
 */
import Koa from 'koa';
import {
  MemoryStore,
  session,
  SessionConfigError,
  SessionError,
  type KoaSessionEvent,
  type KoaSessionOptions,
  type MaxAge,
  type SessionStore,
} from 'koa-typed-session';

// The documented way to type ctx.session: augment SessionData. (Names unlikely to clash with other
// files of the program, which this augmentation also reaches.)
declare module 'koa-typed-session' {
  interface SessionData {
    typedViews?: number;
    typedUser?: { name: string; roles: string[] };
  }
}

const app = new Koa();
app.keys = ['k'];
app.use(session(app));

app.use(async (ctx) => {
  const s = ctx.session;
  // @ts-expect-error ctx.session is null after `ctx.session = null`: check it first
  void s.typedViews;
  if (!s) return;

  const views: number | undefined = s.typedViews;
  s.typedViews = (views ?? 0) + 1;
  // @ts-expect-error declared keys keep their declared types
  s.typedViews = 'many';
  // @ts-expect-error nested shapes too
  s.typedUser = { name: 1, roles: [] };
  s.typedUser = { name: 'ann', roles: ['admin'] };
  // Undeclared keys stay open (any), as with @types/koa-session, so koa-session code compiles.
  s.anythingElse = { free: true };

  const length: number = s.length;
  const populated: boolean = s.populated;
  const isNew: boolean = s.isNew;
  const maxAge: MaxAge | undefined = s.maxAge;
  s.maxAge = 60_000;
  s.maxAge = 'session';
  // @ts-expect-error maxAge is a number of ms or 'session'
  s.maxAge = 'forever';
  const externalKey: string | undefined = s.externalKey;
  // @ts-expect-error externalKey is read-only
  s.externalKey = 'forged';
  void [length, populated, isNew, maxAge, externalKey];

  const saved: Promise<void> = s.save();
  const viaCallback: undefined = s.save((err?: unknown) => void err);
  const regenerated: Promise<void> = s.regenerate();
  const committed: Promise<void> = s.manuallyCommit();
  await Promise.all([saved, regenerated, committed, s.commit({ save: true })]);
  void viaCallback;
  const json: Record<string, unknown> = s.toJSON();
  void json;

  ctx.session = null;
  ctx.session = { typedViews: 2 };
  // @ts-expect-error only null or an object can be assigned
  ctx.session = 'x';
  // @ts-expect-error assigned objects are checked against SessionData
  ctx.session = { typedViews: 'x' };

  const id: string | undefined = ctx.sessionId;
  // @ts-expect-error ctx.sessionId is read-only
  ctx.sessionId = 'forged';
  const options: Record<string, unknown> = ctx.sessionOptions;
  void [id, options];
});

// Options are typed; hooks get Koa's context and may be async.
const options: KoaSessionOptions = {
  key: 'koa.sess',
  maxAge: 'session',
  sameSite: 'lax',
  secure: 'auto',
  genid: async (ctx) => `${ctx.path}:id`,
  valid: async (ctx, data) => ctx.get('user-agent') !== '' && typeof data._expire === 'number',
  beforeSave: async (ctx, sess) => {
    sess.typedViews ??= ctx.status;
  },
  store: new MemoryStore({ maxEntries: 1000 }),
};
session(options, app);
session(app, { rolling: true });
// @ts-expect-error maxAge is a number or 'session'
session({ maxAge: 'forever' }, app);
// @ts-expect-error sameSite values are checked
session({ sameSite: 'sometimes' }, app);
// @ts-expect-error secure is a boolean or 'auto'
session({ secure: 'yes' }, app);
// @ts-expect-error an app is required as the first or second argument
session({ key: 'x' }, { use: 1 });

// A koa-session style store satisfies the contract.
const plainStore: SessionStore = {
  get: async (key: string) => ({ key }),
  set: async () => undefined,
  destroy: async () => undefined,
};
void plainStore;

// Errors form one hierarchy.
const configError: SessionError = new SessionConfigError('maxAge', 'is bad', 'Fix it.');
const option: string = (configError as SessionConfigError).option;
void option;

// App events are typed with Koa's context.
const onInvalid = ({ ctx, reason }: KoaSessionEvent): string => `${ctx.ip} ${reason ?? ''}`;
void onInvalid;
// @ts-expect-error the event's ctx is a Koa context, not any
const notAString: number = (({ ctx }: KoaSessionEvent) => ctx.ip)({} as KoaSessionEvent);
void notAString;
