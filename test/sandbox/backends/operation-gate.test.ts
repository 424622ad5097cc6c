import { OperationGate } from '../../../sandbox/backends/operation-gate';

const THROTTLED = { code: 'ThrottlingException', message: 'Rate exceeded' };

test('every call is counted by operation', () => {
  const gate = new OperationGate();
  gate.enter('Publish');
  gate.enter('Publish');
  gate.enter('Sign');
  expect(gate.calls()).toEqual({ Publish: 2, Sign: 1 });
});

test('an injected error answers the next calls of its operation only, as many times as asked', () => {
  const gate = new OperationGate();
  gate.failNext('Sign', THROTTLED, 2);
  expect(gate.enter('Verify')).toBeUndefined();
  expect(gate.enter('Sign')).toBe(THROTTLED);
  expect(gate.enter('Sign')).toBe(THROTTLED);
  expect(gate.enter('Sign')).toBeUndefined();
  expect(gate.calls()).toEqual({ Verify: 1, Sign: 3 });
});

test('injected errors for one operation come in the order they were injected', () => {
  const gate = new OperationGate();
  const denied = { code: 'AccessDeniedException', message: 'no' };
  gate.failNext('Sign', THROTTLED);
  gate.failNext('Sign', denied);
  expect([gate.enter('Sign'), gate.enter('Sign'), gate.enter('Sign')]).toEqual([THROTTLED, denied, undefined]);
});

test('times must be a positive integer', () => {
  expect(() => new OperationGate().failNext('Sign', THROTTLED, 0)).toThrow(/times must be a positive integer \(received: 0\)/);
});

test('calls() is a copy that later calls do not change', () => {
  const gate = new OperationGate();
  const before = gate.calls();
  gate.enter('Sign');
  expect(before).toEqual({});
});

test('with `after`, that many calls are served before the injected error answers', () => {
  const gate = new OperationGate();
  gate.failNext('UpdateItem', THROTTLED, 2, 1);
  expect([gate.enter('UpdateItem'), gate.enter('UpdateItem'), gate.enter('UpdateItem'), gate.enter('UpdateItem')])
    .toEqual([undefined, THROTTLED, THROTTLED, undefined]);
  expect(gate.calls()).toEqual({ UpdateItem: 4 });
});

test('after must be a non-negative integer', () => {
  expect(() => new OperationGate().failNext('Sign', THROTTLED, 1, -1)).toThrow(/after must be a non-negative integer \(received: -1\)/);
});
