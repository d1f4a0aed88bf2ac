import { injectable } from 'tsyringe';
import { Reflector, SessionService, type CanActivate, type ExecutionContext } from 'koa-typed-session/decorators';
import { AccountSession } from './account-session';

/** `@Roles(['admin'])` on a controller or a method: the roles allowed (the method's override the controller's). */
export const Roles = Reflector.createDecorator<string[]>();

/**
 * The @Roles recipe: reads the roles the route asks for (Reflector) and the user's roles (the typed
 * session, through SessionService). Routes without @Roles only need a logged-in user.
 */
@injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const account = await this.sessions.get(AccountSession);
    if (!account.user) return false; // 403 (a guard could also throw its own 401 error)
    const roles = this.reflector.getAllAndOverride(Roles, [context.getHandler(), context.getClass()]);
    return !roles || roles.some((role) => account.roles.includes(role));
  }
}
