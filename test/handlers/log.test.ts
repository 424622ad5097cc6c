import { createLogger } from '../../lambda/core/log';

test('writes one JSON line per entry at or above the level', () => {
  const lines: string[] = [];
  const log = createLogger('info', (line) => lines.push(line));
  log.debug('hidden');
  log.info('shown', { key: 'abc' });
  log.error('also shown');
  expect(lines.map((line) => JSON.parse(line))).toEqual([
    { level: 'info', message: 'shown', key: 'abc' },
    { level: 'error', message: 'also shown' },
  ]);
});
