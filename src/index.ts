export * from './otp-options';
export * from './email-otp-options';
export * from './sms-otp-options';
export * from './trigger-function-options';
export * from './state-table-options';
export * from './otp-challenge-triggers';
export * from './passwordless-user-pool';
