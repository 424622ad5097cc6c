// Adversarial case 7 (R13): a code or link is bound to its user and its purpose. A's code or link in B's sign-in is
// refused, a sign-in code does not verify an attribute and an attribute code does not sign in; afterwards each
// secret still works where it belongs, so the refusals are the binding's doing.
import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  afterCooldown, answer, codeSent, freshEmail, latestCode, linkSent, messagesTo, newUser, nextStep, redeem, REFUSED,
  SECURITY_LIMITS, tokenSets, tokensOf, useKeepingClient, verifyRecord,
} from './support/secret-use';
import { useSecuritySandbox } from './support/security-sandbox';
import { postAttributeCode, postAttributes } from '../e2e/support/sign-up-api';

jest.setTimeout(60_000);

const context = useSecuritySandbox({ functionEnvironment: SECURITY_LIMITS });
const cognito = useKeepingClient(context);

async function emailOf(accessToken: string | undefined): Promise<string | undefined> {
  const user = await cognito.send(new GetUserCommand({ AccessToken: accessToken }));
  return user.UserAttributes?.find((attribute) => attribute.Name === 'email')?.Value;
}

describe('codes and links are bound to their user (R13)', () => {
  it('case 7: A\'s code in B\'s sign-in is refused; each code still signs in its own user', async () => {
    // Given: a code for A and one for B, each in its own sign-in
    const [a, b] = [await newUser(context), await newUser(context)];
    const codeA = await codeSent(context, cognito, a.email);
    const codeB = await codeSent(context, cognito, b.email);
    expect(codeA.code).not.toBe(codeB.code);

    // When
    const crossed = await answer(context, cognito, codeB.step, codeA.code);

    // Then: refused; B's own code then signs B in, and A's code signs A in
    const bTokens = tokensOf(await answer(context, cognito, nextStep(crossed), codeB.code));
    const aTokens = tokensOf(await answer(context, cognito, codeA.step, codeA.code));
    expect(await emailOf(bTokens.AccessToken)).toBe(b.email);
    expect(await emailOf(aTokens.AccessToken)).toBe(a.email);
    expect(verifyRecord(context, b.username)).toMatchObject({ evaluated: 2, accepted: 1 });
  });

  it('case 7: A\'s link in B\'s sign-in is refused; A\'s link still signs A in', async () => {
    // Given
    const [a, b] = [await newUser(context), await newUser(context)];
    const { token } = await linkSent(context, a.email);

    // When: B's sign-in answered with A's token
    const crossed = await redeem(context, cognito, b.email, token);

    // Then: refused (the signature covers A's username), and the link still signs in A, as A
    expect(crossed).toEqual(REFUSED);
    expect(verifyRecord(context, b.username)).toMatchObject({ linksAccepted: 0, linkRefusals: ['bad signature'] });
    const aTokens = tokensOf(await redeem(context, cognito, a.email, token));
    expect(await emailOf(aTokens.AccessToken)).toBe(a.email);
  });
});

describe('codes are bound to their purpose (R13)', () => {
  it('case 7: a sign-in code does not verify an attribute and an attribute code does not sign in; each works for its purpose', async () => {
    // Given: a signed-in user with a pending email change (its code went to the new address)...
    const { email, username } = await newUser(context);
    const signedIn = await codeSent(context, cognito, email);
    const tokens = tokensOf(await answer(context, cognito, signedIn.step, signedIn.code));
    const newEmail = freshEmail();
    expect((await postAttributes(context.sandbox, tokens.AccessToken, { email: newEmail })).status).toBe(202);
    const attributeCode = latestCode(context, newEmail);
    // ...and a valid sign-in code in a new sign-in
    await afterCooldown(signedIn.sentAt);
    const signIn = await codeSent(context, cognito, email);
    expect(signIn.code).not.toBe(attributeCode);

    // When: each code used for the other purpose
    const verifiedWithSignInCode = await postAttributeCode(context.sandbox, tokens.AccessToken, { email: newEmail, code: signIn.code });
    const signedInWithAttributeCode = await answer(context, cognito, signIn.step, attributeCode);

    // Then: both refused; the email is unchanged
    expect(verifiedWithSignInCode.status).toBe(400);
    expect(signedInWithAttributeCode.kind).toBe('challenge');
    expect(await emailOf(tokens.AccessToken)).toBe(email);

    // And each code still works for its own purpose
    expect(tokenSets([await answer(context, cognito, nextStep(signedInWithAttributeCode), signIn.code)])).toBe(1);
    expect((await postAttributeCode(context.sandbox, tokens.AccessToken, { email: newEmail, code: attributeCode })).status).toBe(200);
    expect(await emailOf(tokens.AccessToken)).toBe(newEmail);
    expect(verifyRecord(context, username)).toMatchObject({ accepted: 2 });
    expect(messagesTo(context, email)).toBe(2);
  });
});
