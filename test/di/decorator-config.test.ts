import { IsInt } from 'class-validator';
import { SessionConfigError } from 'koa-typed-session';
import {
  Controller,
  Get,
  Session,
  SessionModule,
  SessionSchema,
  SessionService,
  createApp,
} from 'koa-typed-session/decorators';

class ArgsSession {
  @IsInt() n: number;
  constructor(n: number) {
    this.n = n;
  }
}

@SessionSchema({ onInvalid: 'explode' as never })
class BadPolicySession {
  @IsInt() n = 0;
}

class GoodSession {
  @IsInt() n = 0;
}

function configError(build: () => unknown): SessionConfigError {
  try {
    build();
  } catch (err) {
    expect(err).toBeInstanceOf(SessionConfigError);
    return err as SessionConfigError;
  }
  throw new Error('expected a SessionConfigError');
}

describe('decorator misuse fails when the app is created, with a message saying how to fix it', () => {
  it('a primitive @Session() type', () => {
    @Controller()
    class C {
      @Get() h(@Session() s: string) {
        return s;
      }
    }
    const err = configError(() => createApp({ keys: ['k'], imports: [SessionModule.forRoot()], controllers: [C] }));
    expect(err.message).toMatch(
      /C\.h\(\) parameter 0 has the type String, which cannot hold a session.*@Session\('field'\)/,
    );
  });

  it('a schema whose constructor needs arguments', () => {
    @Controller()
    class C {
      @Get() h(@Session(ArgsSession) s: ArgsSession) {
        return s;
      }
    }
    expect(
      configError(() => createApp({ keys: ['k'], imports: [SessionModule.forRoot()], controllers: [C] })).message,
    ).toMatch(/ArgsSession, whose constructor takes arguments/);
  });

  it('an unknown onInvalid policy', () => {
    @Controller()
    class C {
      @Get() h(@Session() s: BadPolicySession) {
        return s;
      }
    }
    expect(
      configError(() => createApp({ keys: ['k'], imports: [SessionModule.forRoot()], controllers: [C] })).option,
    ).toBe('onInvalid');
  });

  it('@Session() without a SessionModule', () => {
    @Controller()
    class C {
      @Get() h(@Session() s: GoodSession) {
        return s;
      }
    }
    const err = configError(() => createApp({ keys: ['k'], controllers: [C] }));
    expect(err.option).toBe('imports');
    expect(err.message).toMatch(/SessionModule\.forRoot/);
  });

  it('a controller that injects SessionService without a SessionModule', () => {
    @Controller()
    class C {
      constructor(readonly sessions: SessionService) {}
    }
    const err = configError(() => createApp({ keys: ['k'], controllers: [C] }));
    expect(err.option).toBe('controllers');
    expect(err.message).toMatch(/C, which could not be created .*has no SessionModule, which SessionService needs/s);
    expect(err.message).toMatch(/SessionModule\.forRoot/);
  });

  it('a controller without @Controller()', () => {
    class NotAController {}
    expect(configError(() => createApp({ keys: ['k'], controllers: [NotAController] })).message).toMatch(
      /NotAController, which has no @Controller\(\)/,
    );
  });

  it('signed sessions without keys name createApp({ keys }), not app.keys', () => {
    const err = configError(() => createApp({ imports: [SessionModule.forRoot()], controllers: [] }));
    expect(err.option).toBe('keys');
    expect(err.message).toMatch(/^koa-typed-session: option `keys` /);
    expect(err.message).toContain('createApp({ keys:');
    expect(err.message).toContain('SessionModule.forRoot({ keys:');
    expect(err.message).not.toContain('app.keys =');
  });
});
