// The Standard Webhooks reference libraries' test vector (github.com/standard-webhooks/standard-webhooks, the
// libraries' tests): secret, message id, timestamp, payload and the signature they expect. Also in docs/webhooks.md.
export const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
