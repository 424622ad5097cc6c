import { render } from '../../lambda/core/delivery';

test('templates get every {code} and {minutes} filled in', () => {
  expect(render('{code} / {code} in {minutes} min', '012345', 180_000)).toBe('012345 / 012345 in 3 min');
});
