/**
 * The form round trip in Chromium: an invalid form POST answers 303 back to the form, which shows
 * the field errors and the submitted values (flashed), never the password; once.
 */
import { IsEmail, IsString, Length } from 'class-validator';
import type { Browser, BrowserContext } from 'playwright-core';
import { type FlashBag } from 'koa-typed-session';
import {
  Body,
  Controller,
  Flash,
  FormRedirect,
  Get,
  Post,
  Secret,
  SessionModule,
  createApp,
} from 'koa-typed-session/decorators';
import { createWebApp } from '../../samples/web/create-web-app';
import { launchChromium, serve, type RunningApp } from './browser';

class SignInForm {
  @IsEmail() email!: string;
  @Secret() @IsString() @Length(8, 64) password!: string;
}

interface SignInFlash {
  errors: Record<string, string[]>;
  old: Record<string, unknown>;
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

@Controller('/')
class SignInController {
  @Get('/signin')
  form(@Flash() flash: FlashBag<SignInFlash>): string {
    const errors = Object.entries(flash.get('errors') ?? {})
      .map(([field, messages]) => `<li data-field="${escape(field)}">${escape(messages.join('; '))}</li>`)
      .join('');
    const old = flash.get('old') ?? {};
    const value = (name: string): string => escape(typeof old[name] === 'string' ? old[name] : '');
    return `<!doctype html><html><body><ul id="errors">${errors}</ul>
<form method="post" action="/signin">
<input id="email" name="email" value="${value('email')}">
<input id="password" name="password" type="password" value="${value('password')}">
<button id="submit">Sign in</button></form></body></html>`;
  }

  @Post('/signin')
  @FormRedirect()
  signIn(@Body() form: SignInForm): string {
    return `<!doctype html><p id="welcome">Welcome ${escape(form.email)}</p>`;
  }
}

describe('e2e: a form that fails validation comes back with its errors and old input (flash)', () => {
  let browser: Browser;
  let signIn: RunningApp;
  let demo: RunningApp;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    signIn = await serve(
      createApp({ keys: ['e2e flash'], imports: [SessionModule.forRoot({})], controllers: [SignInController] }),
    );
    demo = await serve(createWebApp());
  });
  afterAll(async () => {
    await signIn?.close();
    await demo?.close();
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser?.newContext();
  });
  afterEach(async () => {
    await context?.close();
  });

  it('shows the errors and the email after the redirect, never the password, and only once', async () => {
    const page = await context.newPage();
    const posts: number[] = [];
    page.on('response', (res) => {
      if (res.request().method() === 'POST') posts.push(res.status());
    });
    await page.goto(`${signIn.baseUrl}/signin`);
    await page.fill('#email', 'ada-at-example');
    await page.fill('#password', 'hunter2');
    await page.click('#submit');
    await page.waitForSelector('#errors li');
    expect(posts).toEqual([303]);
    expect(page.url()).toBe(`${signIn.baseUrl}/signin`);
    expect(await page.textContent('li[data-field="email"]')).toMatch(/email/);
    expect(await page.textContent('li[data-field="password"]')).toMatch(/password/);
    expect(await page.inputValue('#email')).toBe('ada-at-example');
    expect(await page.inputValue('#password')).toBe('');
    expect(await page.content()).not.toContain('hunter2');

    await page.reload();
    expect(await page.locator('#errors li').count()).toBe(0);
    expect(await page.inputValue('#email')).toBe('');

    await page.fill('#email', 'ada@example.com');
    await page.fill('#password', 'correct horse battery');
    await page.click('#submit');
    await page.waitForSelector('#welcome');
  });

  it('the demo: a rejected login name comes back in the field with its error', async () => {
    const page = await context.newPage();
    await page.goto(`${demo.baseUrl}/login`);
    await page.fill('#name', 'Ada <3');
    await page.click('#login');
    await page.waitForSelector('#error');
    expect(page.url()).toBe(`${demo.baseUrl}/login`);
    expect(await page.textContent('#error')).toMatch(/name/);
    expect(await page.inputValue('#name')).toBe('Ada <3');
    expect(await page.locator('#user').count()).toBe(0);
  });
});
