/**
 * Server-rendered HTML of the demo web app: plain template strings, with every piece of user
 * input passed through {@link escapeHtml}. No template engine: the pages are small, and the demo
 * should show the session library, not a view layer.
 */

/** One line of the cart, as the views need it. */
export interface CartLineView {
  sku: string;
  name: string;
  quantity: number;
}

/** What every page shows about the current session. */
export interface PageState {
  user: string | undefined;
  views: number;
  cartCount: number;
  /** Show "Log out everywhere" (only when the store can destroy all sessions of a user). */
  canLogoutEverywhere: boolean;
  /** A one-shot message (e.g. "Logged in as …"). */
  flash?: string | undefined;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1d2430}
header{display:flex;gap:1rem;align-items:center;border-bottom:1px solid #d6dbe3;padding-bottom:.75rem}
header nav{display:flex;gap:.75rem;flex:1} a{color:#1f5fbf}
.who{font-size:.9rem;color:#4a5566} .flash{background:#e8f3e8;border:1px solid #9bc79b;padding:.5rem .75rem;border-radius:4px}
.error{background:#fbeaea;border:1px solid #d99;padding:.5rem .75rem;border-radius:4px}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #e3e6eb;padding:.4rem;text-align:left}
form.inline{display:inline} button{padding:.35rem .8rem;cursor:pointer} input,select{padding:.3rem}
.counter{font-size:2.5rem;font-weight:600}`;

/** The page frame: navigation, who is logged in, the flash message, then `body`. */
export function layout(title: string, state: PageState, body: string): string {
  const who = state.user
    ? `Signed in as <strong id="user">${escapeHtml(state.user)}</strong>
       <form class="inline" method="post" action="/logout"><button id="logout">Log out</button></form>
       ${state.canLogoutEverywhere ? '<form class="inline" method="post" action="/logout-everywhere"><button id="logout-everywhere">Log out everywhere</button></form>' : ''}`
    : '<a id="login-link" href="/login">Log in</a>';
  const flash = state.flash ? `<p class="flash" id="flash">${escapeHtml(state.flash)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · koa-typed-session demo</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><header><nav><a href="/">Home</a><a href="/cart">Cart (<span id="cart-count">${state.cartCount}</span>)</a></nav>
<span class="who">${who}</span></header>
${flash}<main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

/** The home page: the page counter. */
export function homePage(state: PageState): string {
  const greeting = state.user ? `Welcome back, ${escapeHtml(state.user)}.` : 'You are browsing anonymously.';
  return layout(
    'Home',
    state,
    `<p>${greeting}</p>
<p>Pages viewed in this session: <span class="counter" id="views">${state.views}</span></p>
<p>The count lives in your session (a signed or encrypted cookie, or a store record whose id the
cookie carries): it survives navigation and reloads, and every tab of this browser shares it.</p>`,
  );
}

/** The login form. `error` is shown above it (e.g. a rejected name), `name` refills the field. */
export function loginPage(state: PageState, error?: string, name?: string): string {
  const message = error ? `<p class="error" id="error">${escapeHtml(error)}</p>` : '';
  return layout(
    'Log in',
    state,
    `${message}<form method="post" action="/login">
<label>Name <input id="name" name="name" required maxlength="40" autocomplete="username" value="${escapeHtml(name ?? '')}"></label>
<button id="login">Log in</button></form>
<p>No password: this demo shows the session lifecycle (the session is regenerated on login).</p>`,
  );
}

/** The cart page: its lines, an "add" form over `catalogue`, and "empty the cart". */
export function cartPage(
  state: PageState,
  lines: CartLineView[],
  catalogue: Record<string, string>,
  error?: string,
): string {
  const rows = lines
    .map(
      (l) =>
        `<tr><td>${escapeHtml(l.name)}</td><td class="qty" data-sku="${escapeHtml(l.sku)}">${l.quantity}</td></tr>`,
    )
    .join('');
  const table = lines.length
    ? `<table id="cart"><thead><tr><th>Item</th><th>Quantity</th></tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/cart/clear"><button id="clear-cart">Empty the cart</button></form>`
    : '<p id="empty-cart">Your cart is empty.</p>';
  const options = Object.entries(catalogue)
    .map(([sku, name]) => `<option value="${escapeHtml(sku)}">${escapeHtml(name)}</option>`)
    .join('');
  const message = error ? `<p class="error" id="error">${escapeHtml(error)}</p>` : '';
  return layout(
    'Cart',
    state,
    `${message}${table}<h2>Add an item</h2><form method="post" action="/cart/add">
<select id="sku" name="sku">${options}</select>
<input id="quantity" name="quantity" type="number" value="1" min="1" max="99">
<button id="add-to-cart">Add to cart</button></form>`,
  );
}
