// Auto sign-up and attribute changes through the demo page, in headless chromium, against the sandbox running the
// example app (autoSignUp and attributeUpdates on): "Create my account if I don't have one" calls POST /sign-in and
// then signs in with Amplify on the code already sent; the signed-in view adds a phone number with POST /attributes
// and /attributes/verify and shows the refreshed claims.
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Page } from 'playwright-core';
import { openPage, type OpenedPage, useDemoSandbox } from './support/demo-sandbox';
import { latestCode, messagesTo, seedUser, uniqueEmail, uniquePhone } from './support/example-sandbox';

jest.setTimeout(120_000);

const harness = useDemoSandbox({ functionEnvironment: { SEND_COOLDOWN_SECONDS: '10', MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' } });

type Opened = OpenedPage;

/** The demo page in a new browser context (no storage), once its identifier form shows. */
async function openDemo(): Promise<Opened> {
  const opened = await openPage(harness.browser, harness.sandbox.info.demoUrl);
  await opened.page.locator('#identifier').waitFor({ state: 'visible' });
  return opened;
}

/** The requests the page sent to a route of the app's API, e.g. `sign-in` or `attributes/verify`. */
function apiCalls(opened: Opened, route: string) {
  return opened.requests.filter((request) => request.method === 'POST' && request.url === `${harness.sandbox.info.apiUrl}${route}`);
}

/**
 * Resolves once the page is idle again. Submitting disables every button synchronously until the answer is shown,
 * so "no disabled button" after a click means the answer is on the page.
 */
async function whenIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('button:disabled'));
}

/** The claims table as name → value. */
async function shownClaims(page: Page): Promise<Record<string, string>> {
  await page.locator('#claims').waitFor({ state: 'visible' });
  const rows = await page.locator('#claims tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']));
  return Object.fromEntries(rows);
}

/** Identifier → Continue with the sign-up option on: the code sent, once the code form shows. */
async function startSignUp(page: Page, identifier: string): Promise<string> {
  expect(await page.locator('#auto-sign-up').isChecked()).toBe(true);
  await page.locator('#identifier').fill(identifier);
  await page.locator('#continue').click();
  await page.locator('#code').waitFor({ state: 'visible' });
  return latestCode(harness.sandbox, identifier);
}

/** Signs a brand-new email address up through the page and waits for the claims. */
async function signUp(page: Page, email: string): Promise<Record<string, string>> {
  const code = await startSignUp(page, email);
  await page.locator('#code').fill(code);
  await page.locator('#submit-code').click();
  return shownClaims(page);
}

/** Fills the signed-in view's form and sends it; waits until the page has the answer. */
async function askToAdd(page: Page, value: string, names: { given?: string; family?: string } = {}): Promise<void> {
  await page.locator('#attribute-value').fill(value);
  if (names.given) await page.locator('#given-name').fill(names.given);
  if (names.family) await page.locator('#family-name').fill(names.family);
  await page.locator('#send-attribute-code').click();
  await whenIdle(page);
}

async function submitAttributeCode(page: Page, code: string): Promise<void> {
  await page.locator('#attribute-code').fill(code);
  await page.locator('#verify-attribute').click();
  await whenIdle(page);
}

/** The user's attributes in the pool as name → value (AdminGetUser by email address). */
async function poolAttributes(email: string): Promise<Record<string, string>> {
  const user = await harness.cognito.send(new AdminGetUserCommand({ UserPoolId: harness.sandbox.info.userPoolId, Username: email }));
  return Object.fromEntries((user.UserAttributes ?? []).map((attribute) => [attribute.Name!, attribute.Value!]));
}

/** A code that is certainly not `code`. */
function wrongCodeFor(code: string): string {
  return `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;
}

/** A US number written as people do, with spaces, parentheses and a dash: +1 (555) 123-4567. */
function written(phone: string): string {
  return `${phone.slice(0, 2)} (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
}

test('a new email address signs up on the page with one code, then adds a phone number with the SMS code and sees it verified', async () => {
  // Given: the page, and an email address no account has
  const email = uniqueEmail();
  const phone = uniquePhone();
  const demo = await openDemo();
  try {
    const { page } = demo;
    expect(await page.locator('#auto-sign-up').isVisible()).toBe(true);
    expect(await page.locator('label[for="auto-sign-up"]').textContent()).toBe("Create my account if I don't have one");

    // When: Continue with the option on
    const code = await startSignUp(page, email);

    // Then: POST /sign-in created the user and sent one code; the page asks for it without a method to choose
    expect(await page.locator('#status').textContent()).toBe('A code is on its way. Enter it below.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('code');
    expect(apiCalls(demo, 'sign-in')).toHaveLength(1);
    expect(await messagesTo(harness.sandbox, email)).toBe(1);
    expect(await poolAttributes(email)).toMatchObject({ email, email_verified: 'false' });

    // When: the code is entered
    await page.locator('#code').fill(code);
    await page.locator('#submit-code').click();

    // Then: signed in, the address verified in the refreshed claims and in the pool, and still only one code sent
    const claims = await shownClaims(page);
    expect(claims).toMatchObject({ email, email_verified: 'true', token_use: 'id', aud: harness.sandbox.info.userPoolClientId });
    expect(claims.phone_number).toBeUndefined();
    expect(await page.locator('#error').isHidden()).toBe(true);
    expect(await messagesTo(harness.sandbox, email)).toBe(1);
    expect(await poolAttributes(email)).toMatchObject({ email_verified: 'true' });
    expect(await page.locator('#attribute-form').isVisible()).toBe(true);

    // When: a phone number (written with separators) and names are added
    await askToAdd(page, written(phone), { given: 'Ada', family: 'Lovelace' });

    // Then: one SMS to the number, nothing on the account yet, and the page asks for that code
    expect(await page.locator('#error').isHidden()).toBe(true);
    expect(await page.locator('#attribute-code').isVisible()).toBe(true);
    expect(await page.locator('#attribute-target').textContent()).toBe(phone);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('attribute-code');
    expect(await messagesTo(harness.sandbox, phone)).toBe(1);
    expect((await poolAttributes(email)).phone_number).toBeUndefined();

    // When: the SMS code is entered
    const smsCode = await latestCode(harness.sandbox, phone);
    await submitAttributeCode(page, smsCode);

    // Then: the page shows the refreshed claims with the verified phone number and the names
    expect(await page.locator('#error').isHidden()).toBe(true);
    expect(await page.locator('#status').textContent()).toBe(`${phone} is verified. These are the claims of your refreshed ID token.`);
    expect(await shownClaims(page)).toMatchObject({
      email, email_verified: 'true', phone_number: phone, phone_number_verified: 'true', given_name: 'Ada', family_name: 'Lovelace',
    });
    expect(await poolAttributes(email)).toMatchObject({ phone_number: phone, phone_number_verified: 'true' });
    expect(await page.locator('#attribute-form').isVisible()).toBe(true);
    expect(await page.locator('#attribute-value').inputValue()).toBe('');

    // The access token went only to the attribute routes, as a Bearer header; POST /sign-in had none
    const attributeCalls = [...apiCalls(demo, 'attributes'), ...apiCalls(demo, 'attributes/verify')];
    expect(attributeCalls).toHaveLength(2);
    for (const call of attributeCalls) expect(call.authorization).toMatch(/^Bearer eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
    expect(apiCalls(demo, 'sign-in')[0].authorization).toBeUndefined();
    // Neither code nor anything token-like reached the console, and nothing was thrown
    expect(demo.console.filter((line) => line.includes(code) || line.includes(smsCode) || /eyJ[\w-]+\.eyJ/.test(line))).toEqual([]);
    expect(demo.pageErrors).toEqual([]);
  } finally {
    await demo.context.close();
  }
});

test('a wrong attribute code shows the error and the phone number stays unverified; the right code then verifies it', async () => {
  // Given: a user signed up on the page, with a code sent to a new phone number
  const email = uniqueEmail();
  const phone = uniquePhone();
  const demo = await openDemo();
  try {
    const { page } = demo;
    await signUp(page, email);
    await askToAdd(page, phone);
    const sent = await latestCode(harness.sandbox, phone);

    // When
    await submitAttributeCode(page, wrongCodeFor(sent));

    // Then: the API's message in the error area, the code form kept, and no phone number on the account
    expect(await page.locator('#error').isVisible()).toBe(true);
    expect(await page.locator('#error').textContent()).toBe('The code is wrong, used or expired; the phone number stays unverified.');
    expect(await page.locator('#attribute-code').isVisible()).toBe(true);
    expect(await page.locator('#attribute-code').inputValue()).toBe('');
    const claims = await shownClaims(page);
    expect(claims.phone_number).toBeUndefined();
    expect(claims.phone_number_verified).toBeUndefined();
    const attributes = await poolAttributes(email);
    expect(attributes.phone_number).toBeUndefined();
    expect(attributes.phone_number_verified).toBeUndefined();

    // When: the right code follows (3 attempts per code)
    await submitAttributeCode(page, sent);

    // Then
    expect(await page.locator('#error').isHidden()).toBe(true);
    expect(await shownClaims(page)).toMatchObject({ phone_number: phone, phone_number_verified: 'true' });
    expect(demo.pageErrors).toEqual([]);
  } finally {
    await demo.context.close();
  }
});

test('a phone number another account holds: the right code gets the 409 message, and the account is unchanged', async () => {
  // Given: another user with a verified phone number, and a user signed up on the page who asks to add it
  const taken = uniquePhone();
  await seedUser(harness.sandbox, { phone: taken });
  const email = uniqueEmail();
  const demo = await openDemo();
  try {
    const { page } = demo;
    await signUp(page, email);
    await askToAdd(page, taken);

    // When: even the right code is entered
    await submitAttributeCode(page, await latestCode(harness.sandbox, taken));

    // Then
    expect(await page.locator('#error').textContent()).toBe('This phone number belongs to another account.');
    expect(await page.locator('#attribute-form').isVisible()).toBe(true);
    expect(await page.locator('#attribute-code-form').isHidden()).toBe(true);
    expect((await shownClaims(page)).phone_number).toBeUndefined();
    expect((await poolAttributes(email)).phone_number).toBeUndefined();
  } finally {
    await demo.context.close();
  }
});

test("POST /sign-in's 400 message shows in the error area; no sign-in starts and nothing is sent", async () => {
  // Given: a number whose country calling code the app does not allow
  const demo = await openDemo();
  try {
    const { page } = demo;

    // When
    await page.locator('#identifier').fill('+999123456789');
    await page.locator('#continue').click();
    await whenIdle(page);

    // Then
    expect(await page.locator('#error').textContent()).toMatch(/^Invalid request: .*country calling codes/);
    expect(await page.locator('#identifier').isVisible()).toBe(true);
    expect(apiCalls(demo, 'sign-in')).toHaveLength(1);
    expect(demo.requests.filter((request) => request.target)).toEqual([]);
    expect(await messagesTo(harness.sandbox, '+999123456789')).toBe(0);
  } finally {
    await demo.context.close();
  }
});

test('without the option, an unknown email address gets the usual methods and no account', async () => {
  // Given
  const email = uniqueEmail();
  const demo = await openDemo();
  try {
    const { page } = demo;
    await page.locator('#auto-sign-up').uncheck();

    // When
    await page.locator('#identifier').fill(email);
    await page.locator('#continue').click();
    await page.locator('button[data-method="email-otp"]').click();
    await page.locator('#code').waitFor({ state: 'visible' });

    // Then: InitiateAuth creates nobody and sends nothing (docs/sign-up.md)
    expect(apiCalls(demo, 'sign-in')).toEqual([]);
    expect(await messagesTo(harness.sandbox, email)).toBe(0);
    await expect(poolAttributes(email)).rejects.toMatchObject({ name: 'UserNotFoundException' });
  } finally {
    await demo.context.close();
  }
});
