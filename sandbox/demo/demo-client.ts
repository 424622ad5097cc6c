/// <reference lib="dom" />
/**
 * The demo page's browser script: the OTP and magic-link sign-ins of docs/protocol.md with Amplify v6, step
 * by step, and, when the app's API has the routes, auto sign-up and attribute changes (docs/sign-up.md).
 * Bundled by build-demo.ts. It never logs the code, the link's token or the tokens.
 */
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn, signOut, type SignInOutput } from 'aws-amplify/auth';

/** What the sandbox serves at ./config.json. */
interface DemoConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly cognitoEndpoint: string;
  /** The magic-link API's base URL (ending in '/'), null when the app has none. */
  readonly apiUrl: string | null;
  /** Where links may lead; links are requested for this page's own entry. */
  readonly redirectUris: string[];
  /** Whether the API has POST /sign-in (auto sign-up); absent means no. */
  readonly signInRoute?: boolean;
  /** Whether the API has POST /attributes and POST /attributes/verify; absent means no. */
  readonly attributeRoutes?: boolean;
}

/** The parts of the page; exactly one of them is shown at a time. */
type View = 'loading' | 'identifier' | 'methods' | 'code' | 'link' | 'signed-in';

const METHOD_LABELS: Record<string, string> = {
  'email-otp': 'Email me a code',
  'sms-otp': 'Text me a code',
};
/** Methods answered on the identifier form rather than chosen in the CHOOSE challenge. */
const NOT_CHOSEN_METHODS = ['magic-link'];
/** The method that sends a code on each channel of POST /sign-in. */
const CHANNEL_METHODS = { email: 'email-otp', sms: 'sms-otp' } as const;

const LINK_SENT = 'If that address can sign in, a link is on its way.';
const LINK_REFUSED = 'This link is invalid, used or expired. Request a new one.';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page has no #${id}`);
  return found as T;
}

function show(view: View): void {
  for (const section of document.querySelectorAll<HTMLElement>('[data-view]')) {
    section.hidden = section.dataset.view !== view;
  }
  focusView();
}

/** Focuses the first heading to read, field or button of the shown view: where the person continues. */
function focusView(): void {
  document.querySelector<HTMLElement>('[data-view]:not([hidden]) :is([tabindex="-1"], input, button:not([hidden])):not(:disabled)')?.focus();
}

function setStatus(message: string): void {
  element('status').textContent = message;
}

function setError(message: string): void {
  const box = element('error');
  box.textContent = message;
  box.hidden = message === '';
}

/**
 * Disables every button and input while a request is under way, so nothing is sent twice. Then `focus` puts the
 * focus where the person continues (by default, in the shown view).
 */
async function busy<T>(work: () => Promise<T>, focus: () => void = focusView): Promise<T> {
  const controls = document.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input');
  controls.forEach((control) => { control.disabled = true; });
  try {
    return await work();
  } finally {
    controls.forEach((control) => { control.disabled = false; });
    focus(); // the view may have changed while its controls could not take the focus
  }
}

/** An answer of the app's API other than the one expected: its message is for the person at the keyboard as it is. */
class ApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A message for the person at the keyboard; Cognito's own message is kept when it says more. */
function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  const name = err instanceof Error ? err.name : '';
  const message = (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
  if (name === 'NotAuthorizedException') return 'Sign-in failed: start again.';
  if (name === 'NetworkError' || /fetch|network/i.test(message)) {
    return `Could not reach Cognito (${message}). Is the sandbox running?`;
  }
  return `${name || 'Error'}: ${message}`;
}

async function attempt(work: () => Promise<void>): Promise<void> {
  setError('');
  try {
    await busy(work);
  } catch (err) {
    setError(describeError(err));
    if (err instanceof Error && err.name === 'NotAuthorizedException') {
      showIdentifierForm();
    }
  }
}

function challengeOf(output: SignInOutput): Record<string, string> | undefined {
  const step = output.nextStep;
  return step.signInStep === 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE' ? step.additionalInfo ?? {} : undefined;
}

/**
 * Whether the sign-in under way started with POST /sign-in, which may have created the user: its first right code
 * verifies the identifier while Cognito completes the sign-in, so only refreshed tokens surely show it verified.
 */
let signingUp = false;

/** Moves the page to wherever Amplify's answer leads: a challenge, the signed-in view, or an error. */
async function follow(output: SignInOutput, after: 'identifier' | 'method' | 'code'): Promise<void> {
  if (output.isSignedIn) {
    await showSignedIn(signingUp);
    return;
  }
  const challenge = challengeOf(output);
  if (challenge?.challenge === 'CHOOSE') {
    showMethods((challenge.methods ?? '').split(',').filter(Boolean));
  } else if (challenge?.challenge === 'CODE') {
    showCode(Number(challenge.codeLength) || 6);
    if (after === 'code') setError('Wrong code, try again.');
  } else {
    throw new Error(`Unexpected sign-in step ${output.nextStep.signInStep} (challenge: ${challenge?.challenge ?? 'none'})`);
  }
}

function showMethods(offered: string[]): void {
  const methods = offered.filter((method) => !NOT_CHOSEN_METHODS.includes(method));
  const list = element('methods');
  list.replaceChildren(...methods.map((method) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.method = method;
    button.dataset.testid = `method-${method}`;
    button.textContent = METHOD_LABELS[method] ?? method;
    button.addEventListener('click', () => void attempt(async () => {
      setStatus('');
      await follow(await confirmSignIn({ challengeResponse: method }), 'method');
      setStatus('If an account matches, a code is on its way. Enter it below.');
    }));
    return button;
  }));
  setStatus(methods.length ? 'How would you like to get your code?' : 'No sign-in method is enabled.');
  show('methods');
}

function showCode(codeLength: number): void {
  const input = element<HTMLInputElement>('code');
  input.value = '';
  input.maxLength = codeLength;
  input.pattern = `[0-9]{${codeLength}}`;
  show('code');
}

/** Shows the ID token's claims; `refresh` first gets new tokens, which show the attributes as they are now. */
async function showSignedIn(refresh = false): Promise<void> {
  await renderClaims(refresh);
  setStatus('Signed in. These are the claims of your ID token.');
  resetAttributeChange(true);
  show('signed-in');
}

async function renderClaims(forceRefresh: boolean): Promise<void> {
  const { tokens } = await fetchAuthSession({ forceRefresh });
  const claims = tokens?.idToken?.payload ?? {};
  const rows = Object.entries(claims).map(([name, value]) => {
    const row = document.createElement('tr');
    const key = document.createElement('th');
    key.scope = 'row';
    key.textContent = name;
    const cell = document.createElement('td');
    cell.textContent = typeof value === 'string' ? value : JSON.stringify(value);
    row.append(key, cell);
    return row;
  });
  element('claims').querySelector('tbody')!.replaceChildren(...rows);
}

function showIdentifierForm(): void {
  signingUp = false;
  setStatus('');
  show('identifier');
}

/**
 * The token of a magic link opened on this page, taken from the fragment, which is removed from the address
 * bar (and so from the history) at once. Undefined when the page was not opened with one.
 */
function takeLinkToken(): string | undefined {
  const token = location.hash.slice(1);
  if (token === '') return undefined;
  history.replaceState(history.state, '', location.pathname + location.search);
  return token;
}

/**
 * The email address in a link's payload (`[version][expiry, 4 bytes][nonce, 16 bytes][email, UTF-8]`), to show
 * whom the link signs in; undefined when the token is not shaped like a link's. The signature is not checked
 * here: Cognito's Verify trigger decides.
 */
function linkEmail(token: string): string | undefined {
  const payload = /^([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/.exec(token)?.[1];
  if (payload === undefined) return undefined;
  try {
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    if (bytes.length <= 21 || bytes[0] !== 1) return undefined;
    const email = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(21));
    return email.includes('@') ? email : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A link opened in a browser that may not have asked for it must not sign in by itself (login CSRF, R25):
 * the page says which account it is for and waits for Continue.
 */
function showLinkConfirmation(token: string, email: string): void {
  element('link-email').textContent = email;
  const continueButton = element<HTMLButtonElement>('link-continue');
  const cancelButton = element<HTMLButtonElement>('link-cancel');
  const done = () => {
    continueButton.onclick = null;
    cancelButton.onclick = null;
  };
  continueButton.onclick = () => {
    done();
    void redeemLink(token, email);
  };
  cancelButton.onclick = () => {
    done();
    element<HTMLInputElement>('identifier').value = email;
    showIdentifierForm();
    setStatus('The link was not used.');
  };
  setStatus('');
  show('link');
}

/** Starts a sign-in for the link's address and answers the first challenge with the token. */
async function redeemLink(token: string, email: string): Promise<void> {
  setError('');
  try {
    await busy(async () => {
      if ((await fetchAuthSession()).tokens) await signOut();
      const started = await signIn({ username: email, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
      if (started.isSignedIn) return showSignedIn();
      const done = await confirmSignIn({ challengeResponse: token, options: { clientMetadata: { signInMethod: 'magic-link' } } });
      if (!done.isSignedIn) throw new LinkRefused();
      await showSignedIn();
    });
  } catch (err) {
    const refused = err instanceof LinkRefused || (err instanceof Error && err.name === 'NotAuthorizedException');
    setError(refused ? LINK_REFUSED : describeError(err));
    element<HTMLInputElement>('identifier').value = email;
    showIdentifierForm();
  }
}

class LinkRefused extends Error {
  constructor() {
    super(LINK_REFUSED);
    this.name = 'LinkRefused';
  }
}

/** Asks the magic-link API to email a link back to this page; the answer is the same whether or not the address has an account. */
async function requestLink(config: DemoConfig, redirectUri: string, email: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${config.apiUrl}magic-link`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, redirectUri }),
    });
  } catch (err) {
    throw new Error(`Could not reach the magic-link API (${err instanceof Error ? err.message : String(err)}). Is the sandbox running?`);
  }
  const body = await response.json().catch(() => ({})) as { message?: string };
  if (response.status !== 202) throw new Error(body.message ?? `The magic-link API answered HTTP ${response.status}.`);
  setStatus(LINK_SENT);
}

/** The button that requests a link, shown when the app has the API and allows links to this page. */
function wireLinkRequest(config: DemoConfig): void {
  const here = location.origin + location.pathname;
  const redirectUri = config.redirectUris.find((uri) => uri === here);
  if (!config.apiUrl || !redirectUri) return;
  const button = element<HTMLButtonElement>('email-link');
  button.hidden = false;
  button.addEventListener('click', () => {
    const email = element<HTMLInputElement>('identifier').value.trim();
    if (!email.includes('@')) return setError('Enter your email address to get a sign-in link.');
    setError('');
    setStatus('');
    void busy(() => requestLink(config, redirectUri, email)).catch((err: unknown) => {
      setError(err instanceof Error ? err.message : String(err));
    });
  });
}

/** What the app's API answers: a message, and for attribute changes the attribute concerned. */
interface ApiAnswer {
  readonly message?: string;
  readonly attribute?: string;
}

/** POSTs JSON to the app's API (`<apiUrl><path>`), with the access token when given; the status and the JSON answer. */
async function postApi(config: DemoConfig, path: string, body: object, bearer?: string): Promise<{ status: number; answer: ApiAnswer }> {
  let response: Response;
  try {
    response = await fetch(`${config.apiUrl}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(bearer !== undefined && { Authorization: `Bearer ${bearer}` }),
      },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(`Could not reach the API (${err instanceof Error ? err.message : String(err)}). Is the sandbox running?`);
  }
  const answer = await response.json().catch(() => ({})) as ApiAnswer;
  return { status: response.status, answer };
}

function apiRefusal(status: number, answer: ApiAnswer): ApiError {
  return new ApiError(answer.message ?? `The API answered HTTP ${status}.`);
}

/** Set when the app's API has POST /sign-in: then the identifier form offers to create the account. */
let signUpConfig: DemoConfig | undefined;

function wireSignUp(config: DemoConfig): void {
  if (!config.apiUrl || !config.signInRoute) return;
  signUpConfig = config;
  element('sign-up-option').hidden = false;
}

/**
 * An email address or phone number as the API normalizes it (docs/sign-up.md: trimmed and lowercased, or the E.164
 * number without separators), and its channel. Amplify's username must be that same form, and the claims show it.
 */
function normalized(entered: string): { value: string; channel: keyof typeof CHANNEL_METHODS } {
  return entered.includes('@')
    ? { value: entered.trim().toLowerCase(), channel: 'email' }
    : { value: entered.replace(/[\s().-]/g, ''), channel: 'sms' };
}

/**
 * Auto sign-up: POST /sign-in creates the user when there is none and sends the code. The page then signs in with
 * Amplify as for any user and chooses the channel's method at once: within the send cooldown that sends no second
 * code, and the code already sent is accepted. Amplify cannot continue the session POST /sign-in started.
 */
async function signInOrSignUp(config: DemoConfig, entered: string): Promise<void> {
  const { value: identifier, channel } = normalized(entered);
  const { status, answer } = await postApi(config, 'sign-in', { identifier, channel });
  if (status !== 200) throw apiRefusal(status, answer);
  signingUp = true;
  const started = await signIn({ username: identifier, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
  const challenge = challengeOf(started);
  const method = CHANNEL_METHODS[channel];
  if (challenge?.challenge !== 'CHOOSE' || !(challenge.methods ?? '').split(',').includes(method)) {
    return follow(started, 'identifier');
  }
  await follow(await confirmSignIn({ challengeResponse: method }), 'method');
  setStatus('A code is on its way. Enter it below.');
}

/** The change waiting for its code: the field sent to POST /attributes, and the value the code went to. */
let pendingChange: { readonly field: 'email' | 'phoneNumber'; readonly value: string } | undefined;

/** Back to the form that asks for a new value; `clear` empties its fields too (after a change is done). */
function resetAttributeChange(clear: boolean): void {
  pendingChange = undefined;
  element<HTMLInputElement>('attribute-code').value = '';
  if (clear) {
    for (const id of ['attribute-value', 'given-name', 'family-name']) element<HTMLInputElement>(id).value = '';
  }
  element('attribute-code-form').hidden = true;
  element('attribute-form').hidden = false;
}

function showAttributeCodeForm(value: string): void {
  element('attribute-target').textContent = value;
  element('attribute-form').hidden = true;
  element('attribute-code-form').hidden = false;
}

/** Focuses the first field of the attribute form shown, where the person continues a change. */
function focusAttributeChange(): void {
  document.querySelector<HTMLElement>('#attributes form:not([hidden]) input:not(:disabled)')?.focus();
}

/** The current access token (Amplify refreshes an expired one), for the attribute routes. */
async function currentAccessToken(): Promise<string> {
  const token = (await fetchAuthSession()).tokens?.accessToken?.toString();
  if (!token) throw new ApiError('Sign in again: the session has no access token.');
  return token;
}

/** Runs a step of an attribute change; its errors are shown, and the person stays signed in. */
async function attemptAttributeChange(work: () => Promise<void>): Promise<void> {
  setError('');
  try {
    await busy(work, focusAttributeChange);
  } catch (err) {
    setError(describeError(err));
  }
}

/** The signed-in view's form to add a phone number or change the email address, when the API has the routes. */
function wireAttributeChanges(config: DemoConfig): void {
  if (!config.apiUrl || !config.attributeRoutes) return;
  element('attributes').hidden = false;
  element<HTMLFormElement>('attribute-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const entered = element<HTMLInputElement>('attribute-value').value.trim();
    if (!entered) return setError('Enter the phone number or email address to add.');
    const { value, channel } = normalized(entered);
    const field = channel === 'email' ? 'email' : 'phoneNumber';
    const givenName = element<HTMLInputElement>('given-name').value.trim();
    const familyName = element<HTMLInputElement>('family-name').value.trim();
    const body = { [field]: value, ...(givenName ? { givenName } : {}), ...(familyName ? { familyName } : {}) };
    void attemptAttributeChange(async () => {
      setStatus('');
      const { status, answer } = await postApi(config, 'attributes', body, await currentAccessToken());
      if (status !== 202) throw apiRefusal(status, answer);
      pendingChange = { field, value };
      showAttributeCodeForm(value);
      setStatus(`A code is on its way to ${value}. Enter it below.`);
    });
  });
  element<HTMLFormElement>('attribute-code-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const code = element<HTMLInputElement>('attribute-code').value.trim();
    const change = pendingChange;
    if (!change) return resetAttributeChange(false);
    if (!code) return setError('Enter the code you received.');
    void attemptAttributeChange(async () => {
      setStatus('');
      const { status, answer } = await postApi(config, 'attributes/verify', { [change.field]: change.value, code }, await currentAccessToken());
      if (status === 200) {
        resetAttributeChange(true);
        await renderClaims(true);
        setStatus(`${change.value} is verified. These are the claims of your refreshed ID token.`);
        return;
      }
      element<HTMLInputElement>('attribute-code').value = '';
      if (status === 409) resetAttributeChange(false); // the code is used up: the value belongs to another account
      throw apiRefusal(status, answer);
    });
  });
  element('cancel-attribute').addEventListener('click', () => {
    setError('');
    setStatus('');
    resetAttributeChange(false);
    focusAttributeChange();
  });
}

function wire(): void {
  element<HTMLFormElement>('identifier-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const username = element<HTMLInputElement>('identifier').value.trim();
    if (!username) return setError('Enter your email address or phone number.');
    const signUp = signUpConfig && element<HTMLInputElement>('auto-sign-up').checked ? signUpConfig : undefined;
    void attempt(async () => {
      setStatus('');
      signingUp = false;
      if (signUp) return signInOrSignUp(signUp, username);
      await follow(await signIn({ username, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } }), 'identifier');
    });
  });
  element<HTMLFormElement>('code-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const code = element<HTMLInputElement>('code').value.trim();
    if (!code) return setError('Enter the code you received.');
    void attempt(async () => follow(await confirmSignIn({ challengeResponse: code }), 'code'));
  });
  for (const id of ['restart-methods', 'restart-code']) {
    element(id).addEventListener('click', () => {
      setError('');
      showIdentifierForm();
    });
  }
  element('sign-out').addEventListener('click', () => void attempt(async () => {
    await signOut();
    showIdentifierForm();
  }));
}

async function loadConfig(): Promise<DemoConfig> {
  const response = await fetch('./config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return response.json() as Promise<DemoConfig>;
}

async function main(): Promise<void> {
  // First of all: the link's token leaves the address bar before anything else can read or share it.
  const linkToken = takeLinkToken();
  wire();
  const config = await loadConfig();
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: config.userPoolId,
        userPoolClientId: config.userPoolClientId,
        userPoolEndpoint: config.cognitoEndpoint,
      },
    },
  });
  wireLinkRequest(config);
  wireSignUp(config);
  wireAttributeChanges(config);
  if (linkToken !== undefined) {
    const email = linkEmail(linkToken);
    if (email !== undefined) return showLinkConfirmation(linkToken, email);
    setError(LINK_REFUSED);
    return showIdentifierForm();
  }
  const { tokens } = await fetchAuthSession();
  if (tokens?.idToken) await showSignedIn();
  else showIdentifierForm();
}

main().catch((err: unknown) => {
  setError(`The demo could not start: ${describeError(err)}`);
});
