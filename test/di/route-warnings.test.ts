import { Controller, Get, Post, createApp } from 'koa-typed-session/decorators';

@Controller('/items')
class ShadowingController {
  @Get('/:id') find() {
    return 'find';
  }

  @Get('/head-check') headCheck() {
    return 'never reached';
  }

  @Post('/head-check') post() {
    return 'a different method: reachable';
  }
}

@Controller('/a')
class FirstController {
  @Get('/x') x() {
    return 1;
  }
}

@Controller('/a')
class DuplicateController {
  @Get('/x/') again() {
    return 2;
  }

  @Get('/:id/edit') edit() {
    return 3;
  }

  @Get('/x/edit') literalAfterParam() {
    return 4;
  }
}

@Controller('/ok')
class FineController {
  @Get('/head-check') headCheck() {
    return 1;
  }

  @Get('/:id') find() {
    return 2;
  }

  @Get('/:id/parts') parts() {
    return 3;
  }
}

@Controller('/')
class RootController {
  @Get('/') home() {
    return 'home';
  }

  @Get('/login') login() {
    return 'login';
  }
}

function warningsOf(build: () => unknown): Array<{ message: string; code: unknown; type: unknown }> {
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    build();
    return spy.mock.calls.map(([message, options]) => ({
      message: String(message),
      code: (options as { code?: unknown }).code,
      type: (options as { type?: unknown }).type,
    }));
  } finally {
    spy.mockRestore();
  }
}

describe('createApp warns at startup about routes that can never match', () => {
  it('warns about a route shadowed by an earlier parameter route of the same method', () => {
    const warnings = warningsOf(() => createApp({ controllers: [ShadowingController] }));
    expect(warnings).toEqual([
      {
        message: expect.stringMatching(
          /^koa-typed-session: route GET \/items\/head-check \(ShadowingController\.headCheck\(\)\) can never match: GET \/items\/:id \(ShadowingController\.find\(\)\), registered earlier, captures it\. /,
        ),
        code: 'KTS_ROUTE_SHADOWED',
        type: 'KoaTypedSessionWarning',
      },
    ]);
  });

  it('warns about duplicate routes, across controllers too', () => {
    const warnings = warningsOf(() => createApp({ controllers: [FirstController, DuplicateController] }));
    expect(warnings.map((w) => w.code)).toEqual(['KTS_ROUTE_DUPLICATE', 'KTS_ROUTE_SHADOWED']);
    expect(warnings[0]!.message).toContain(
      'route GET /a/x (DuplicateController.again()) duplicates GET /a/x (FirstController.x())',
    );
    expect(warnings[1]!.message).toContain('GET /a/x/edit (DuplicateController.literalAfterParam())');
  });

  it('says nothing about a literal route after the root route (the root is no parameter)', () => {
    expect(warningsOf(() => createApp({ controllers: [RootController] }))).toEqual([]);
  });

  it('says nothing when the literal route comes first', () => {
    expect(warningsOf(() => createApp({ controllers: [FineController] }))).toEqual([]);
  });
});
