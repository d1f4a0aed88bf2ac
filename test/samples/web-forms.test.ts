import request from 'supertest';
import { createWebApp } from '../../samples/web/create-web-app';
import { AuthController } from '../../samples/web/auth.controller';
import { CartController } from '../../samples/web/cart.controller';
import { getParamTypes } from '../../src/di/metadata';
import { LoginForm, AddToCartForm } from '../../samples/web/web-session';
import { cookieHeader } from '../helpers/app';

describe('sample: web forms are DTOs validated by the decorator module', () => {
  it('declares the form classes as @Body() DTOs (no hand parsing)', () => {
    expect(getParamTypes(AuthController, 'login')?.[0]).toBe(LoginForm);
    expect(getParamTypes(CartController, 'add')?.[0]).toBe(AddToCartForm);
  });

  it('sends a browser back to the login page with the message flashed for an invalid name; nothing else is saved', async () => {
    const server = createWebApp().callback();
    const res = await request(server)
      .post('/login')
      .set('Accept', 'text/html')
      .type('form')
      .send({ name: '<b>x</b>' })
      .expect(303);
    expect(res.headers.location).toBe('/login');
    const page = await request(server).get('/login').set('Cookie', cookieHeader(res)).expect(200);
    expect(page.type).toBe('text/html');
    expect(page.text).toMatch(/id="error">name may hold letters/);
  });

  it('answers a JSON client 400 for an invalid name, with nothing saved', async () => {
    const server = createWebApp().callback();
    const res = await request(server).post('/login').type('form').send({ name: '<b>x</b>' }).expect(400);
    expect(res.body.message).toMatch(/name/);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses unknown form fields (forbidNonWhitelisted)', async () => {
    const server = createWebApp().callback();
    const res = await request(server)
      .post('/login')
      .set('Accept', 'text/html')
      .type('form')
      .send({ name: 'ada', admin: '1' })
      .expect(303);
    const page = await request(server).get('/login').set('Cookie', cookieHeader(res)).expect(200);
    expect(page.text).toMatch(/id="error">property admin should not exist/);
  });

  it('logs in with a valid name, and adds converted quantities to the cart', async () => {
    const server = createWebApp().callback();
    const login = await request(server).post('/login').type('form').send({ name: 'Ada' }).expect(303);
    const cookie = cookieHeader(login);
    const add = await request(server)
      .post('/cart/add')
      .set('Cookie', cookie)
      .type('form')
      .send({ sku: 'mug', quantity: '2' })
      .expect(303);
    const page = await request(server)
      .get('/cart')
      .set('Cookie', cookieHeader(add) || cookie)
      .expect(200);
    expect(page.text).toMatch(/data-sku="mug"[^>]*>2</);
    const bad = await request(server)
      .post('/cart/add')
      .set('Cookie', cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send({ sku: 'mug', quantity: '0' })
      .expect(303);
    const again = await request(server)
      .get('/cart')
      .set('Cookie', cookieHeader(bad) || cookie)
      .expect(200);
    expect(again.text).toMatch(/id="error">quantity/);
  });
});
