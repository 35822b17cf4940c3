import { generateKeyPairSync } from 'node:crypto';
import { authConfig } from '#lib/config';
import { ConfiguredVerificationKeySource } from './configured-verification-key.source.js';

const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const current = pair();
const retired = pair();
const pem = (key: typeof current.publicKey): string =>
  key.export({ type: 'spki', format: 'pem' }).toString();

const auth = authConfig.load({
  NODE_ENV: 'test',
  JWT_PRIVATE_KEY: current.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  JWT_PREVIOUS_PUBLIC_KEYS: pem(retired.publicKey),
});
const source = new ConfiguredVerificationKeySource(auth.keys!, auth.previousPublicKeys);

describe('ConfiguredVerificationKeySource', () => {
  it('verifies tokens of a key retired by a rotation with that key', async () => {
    const key = await source.keyFor(auth.previousPublicKeys[0].keyId);
    expect(key.equals(retired.publicKey)).toBe(true);
  });

  it('verifies tokens of the current key with the current key', async () => {
    expect((await source.keyFor(auth.keys!.keyId)).equals(current.publicKey)).toBe(true);
  });

  it.each([
    ['no kid', undefined],
    ['an unknown kid', 'forged-kid'],
  ])(
    'checks a token with %s against the current key, so its signature decides',
    async (_case, kid) => {
      expect((await source.keyFor(kid)).equals(current.publicKey)).toBe(true);
    },
  );
});
