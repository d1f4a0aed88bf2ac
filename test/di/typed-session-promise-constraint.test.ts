import { IsString, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { Controller, Param, Post, Session, SessionModule, createApp } from 'koa-typed-session/decorators';
import { request, setCookies } from '../helpers/app';

// A user-defined constraint that answers with a promise without declaring `async: true`:
// class-validator's `validate` awaits it, while `validateSync` would count the promise as a pass.
@ValidatorConstraint({ name: 'notReserved' })
class NotReserved implements ValidatorConstraintInterface {
  validate(value: unknown): Promise<boolean> {
    return Promise.resolve(value !== 'admin');
  }
}

class NameSession {
  @IsString() @Validate(NotReserved) name = 'guest';
}

@Controller('/')
class NameController {
  @Post('/name/:name')
  rename(@Param('name') name: string, @Session() s: NameSession) {
    s.name = name;
    return { name: s.name };
  }
}

describe('typed @Session(): a user-defined constraint that returns a promise', () => {
  const app = createApp({ keys: ['a secret'], imports: [SessionModule.forRoot({})], controllers: [NameController] });

  it('passes when the promise resolves to true', async () => {
    const res = await request(app.callback()).post('/name/alice').expect(200, { name: 'alice' });
    expect(setCookies(res)).toHaveLength(2);
  });

  it('is awaited before save: a promise resolving to false refuses the data and writes nothing', async () => {
    const res = await request(app.callback()).post('/name/admin').expect(400);
    expect(res.body).toMatchObject({ code: 'ERR_SESSION_VALIDATION' });
    expect(setCookies(res)).toHaveLength(0);
  });
});
