/// <reference lib="dom" />
/**
 * The demo page's browser script: the OTP sign-in of docs/protocol.md with Amplify v6, step by step.
 * Bundled by build-demo.ts. It never logs the code or the tokens.
 */
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn, signOut, type SignInOutput } from 'aws-amplify/auth';

/** What the sandbox serves at ./config.json. */
interface DemoConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly cognitoEndpoint: string;
  /** The magic-link API, null until the sandbox runs one. */
  readonly apiUrl: string | null;
  readonly redirectUris: string[];
}

/** The parts of the page; exactly one of them is shown at a time. */
type View = 'loading' | 'identifier' | 'methods' | 'code' | 'signed-in';

const METHOD_LABELS: Record<string, string> = {
  'email-otp': 'Email me a code',
  'sms-otp': 'Text me a code',
};

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

/** Focuses the first field or button of the shown view: where the person continues. */
function focusView(): void {
  document.querySelector<HTMLElement>('[data-view]:not([hidden]) :is(input, button):not(:disabled)')?.focus();
}

function setStatus(message: string): void {
  element('status').textContent = message;
}

function setError(message: string): void {
  const box = element('error');
  box.textContent = message;
  box.hidden = message === '';
}

/** Disables every button and input while a request is under way, so nothing is sent twice. */
async function busy<T>(work: () => Promise<T>): Promise<T> {
  const controls = document.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input');
  controls.forEach((control) => { control.disabled = true; });
  try {
    return await work();
  } finally {
    controls.forEach((control) => { control.disabled = false; });
    focusView(); // the view may have changed while its controls could not take the focus
  }
}

/** A message for the person at the keyboard; Cognito's own message is kept when it says more. */
function describeError(err: unknown): string {
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

/** Moves the page to wherever Amplify's answer leads: a challenge, the signed-in view, or an error. */
async function follow(output: SignInOutput, after: 'identifier' | 'method' | 'code'): Promise<void> {
  if (output.isSignedIn) {
    await showSignedIn();
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

function showMethods(methods: string[]): void {
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

async function showSignedIn(): Promise<void> {
  const { tokens } = await fetchAuthSession();
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
  setStatus('Signed in. These are the claims of your ID token.');
  show('signed-in');
}

function showIdentifierForm(): void {
  setStatus('');
  show('identifier');
}

function wire(): void {
  element<HTMLFormElement>('identifier-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const username = element<HTMLInputElement>('identifier').value.trim();
    if (!username) return setError('Enter your email address or phone number.');
    void attempt(async () => {
      setStatus('');
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
  // Magic links (a later issue) start here: with config.apiUrl set and a token in location.hash,
  // redeem it (clearing the fragment first) before falling back to the identifier form.
  const { tokens } = await fetchAuthSession();
  if (tokens?.idToken) await showSignedIn();
  else showIdentifierForm();
}

main().catch((err: unknown) => {
  setError(`The demo could not start: ${describeError(err)}`);
});
