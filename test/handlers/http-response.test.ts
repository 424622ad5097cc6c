import { header, jsonResponse } from '../../lambda/core/http-response';

test('a JSON response is never cached and echoes an allowed origin', () => {
  expect(jsonResponse(202, { message: 'ok' }, 'https://app.example.com', ['https://app.example.com'])).toEqual({
    statusCode: 202,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Access-Control-Allow-Origin': 'https://app.example.com',
      'Vary': 'Origin',
    },
    body: '{"message":"ok"}',
  });
});

test('an origin that is not allowed, or none, gets no CORS header but still Vary: Origin', () => {
  for (const origin of ['https://evil.com', undefined, '']) {
    const response = jsonResponse(400, { message: 'no' }, origin, ['https://app.example.com']);
    expect(response.headers).not.toHaveProperty('Access-Control-Allow-Origin');
    expect(response.headers).toHaveProperty('Vary', 'Origin');
  }
});

test('the body is JSON-escaped', () => {
  expect(JSON.parse(jsonResponse(400, { message: '"</script>\n' }, undefined, []).body)).toEqual({ message: '"</script>\n' });
});

test('header reads a header whatever its case, and tolerates no headers', () => {
  expect(header({ ORIGIN: 'a' }, 'origin')).toBe('a');
  expect(header({ 'x-other': 'b' }, 'Origin')).toBeUndefined();
  expect(header(null, 'Origin')).toBeUndefined();
});
