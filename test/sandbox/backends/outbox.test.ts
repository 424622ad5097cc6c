import { mergeOutboxes, type OutboxMessage } from '../../../sandbox/backends/outbox';

const message = (channel: OutboxMessage['channel'], text: string, time: string): OutboxMessage => ({ channel, to: ['x'], text, time });

test('emails and SMS are merged oldest first', () => {
  const emails = [message('email', 'e1', '2030-01-01T00:00:00.002Z'), message('email', 'e2', '2030-01-01T00:00:00.005Z')];
  const sms = [message('sms', 's1', '2030-01-01T00:00:00.001Z'), message('sms', 's2', '2030-01-01T00:00:00.003Z')];
  expect(mergeOutboxes(emails, sms).map((m) => m.text)).toEqual(['s1', 'e1', 's2', 'e2']);
});

test('messages of the same millisecond keep the order of the outboxes given', () => {
  const time = '2030-01-01T00:00:00.000Z';
  expect(mergeOutboxes([message('email', 'e', time)], [message('sms', 's', time)]).map((m) => m.text)).toEqual(['e', 's']);
});

test('the outboxes given are left as they were', () => {
  const sms = [message('sms', 'late', '2030-01-01T00:00:01.000Z'), message('sms', 'early', '2030-01-01T00:00:00.000Z')];
  mergeOutboxes(sms);
  expect(sms.map((m) => m.text)).toEqual(['late', 'early']);
});
