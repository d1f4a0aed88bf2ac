/**
 * Startup warnings for routes that can never match. Routes run in registration order and a
 * handler never passes the request on, so an earlier `GET /items/:id` answers `GET /items/head-check`
 * before the later literal route is reached; a second route with the same method and path is dead
 * too. Both are reported once, when the app is created, with `process.emitWarning` (type
 * `KoaTypedSessionWarning`, codes `KTS_ROUTE_SHADOWED` and `KTS_ROUTE_DUPLICATE`).
 *
 * Only plain paths are compared: literal segments and whole-segment parameters (`:id`). A route
 * with wildcards, optional groups or other path-to-regexp syntax is never reported (no false alarms).
 */
import { warn } from '../core/diagnostics';

/** One registered route. */
export interface RouteEntry {
  readonly method: string;
  readonly path: string;
  /** `Controller.handler()`, for the message. */
  readonly name: string;
}

const PARAM = /^:[A-Za-z_$][\w$]*$/;
const LITERAL = /^[^:*?+(){}\\]*$/;

/** The segments of a plain path (':' for a parameter, never a literal), or `undefined` when the path uses other syntax. */
function shape(path: string): string[] | undefined {
  const segments: string[] = [];
  for (const segment of path.split('/').slice(1)) {
    if (PARAM.test(segment)) segments.push(':');
    else if (LITERAL.test(segment))
      segments.push(segment.toLowerCase()); // @koa/router is case-insensitive
    else return undefined;
  }
  return segments;
}

/** `'duplicate'`, `'shadowed'` (every path of `later` matches `earlier`) or `undefined`. */
function compare(earlier: string[], later: string[]): 'duplicate' | 'shadowed' | undefined {
  if (earlier.length !== later.length) return undefined;
  let same = true;
  for (let i = 0; i < earlier.length; i++) {
    if (earlier[i] === later[i]) continue;
    if (earlier[i] !== ':') return undefined; // a literal that differs, or a literal against a parameter
    same = false;
  }
  return same ? 'duplicate' : 'shadowed';
}

/** Emits one warning per route that an earlier route of the same method makes unreachable. */
export function warnUnreachableRoutes(routes: readonly RouteEntry[]): void {
  const shapes = routes.map((route) => shape(route.path));
  for (let j = 1; j < routes.length; j++) {
    const later = shapes[j];
    if (!later) continue;
    for (let i = 0; i < j; i++) {
      const earlier = shapes[i];
      if (!earlier || routes[i]!.method !== routes[j]!.method) continue;
      const verdict = compare(earlier, later);
      if (!verdict) continue;
      const a = routes[i]!;
      const b = routes[j]!;
      const message =
        verdict === 'duplicate'
          ? `route ${b.method} ${b.path} (${b.name}) duplicates ${a.method} ${a.path} (${a.name}), ` +
            'registered earlier, and can never match. Remove one of them or give it another path.'
          : `route ${b.method} ${b.path} (${b.name}) can never match: ${a.method} ${a.path} (${a.name}), ` +
            'registered earlier, captures it. Declare the literal route before the parameter route ' +
            '(or list its controller first), or change one of the paths.';
      warn(message, verdict === 'duplicate' ? 'KTS_ROUTE_DUPLICATE' : 'KTS_ROUTE_SHADOWED');
      break; // one warning per unreachable route
    }
  }
}
