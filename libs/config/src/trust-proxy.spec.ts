import { ConfigValidationError } from './config-validation.error.js';
import { httpConfig } from './sections/http.config.js';
import { parseTrustProxy } from './trust-proxy.js';

describe('parseTrustProxy', () => {
  it.each([
    ['false', false],
    ['0', false],
    ['', false],
    ['true', 1],
    ['1', 1],
    ['2', 2],
    ['10.0.0.0/8', ['10.0.0.0/8']],
    ['127.0.0.1, 10.0.0.0/8,fd00::/8', ['127.0.0.1', '10.0.0.0/8', 'fd00::/8']],
  ])('reads %j as %j', (value, expected) => {
    expect(parseTrustProxy(value)).toEqual(expected);
  });

  it.each(['yes please', '10.0.0.0/33', '300.1.1.1', '10.0.0.0/8,', 'fd00::/129', '-1', '1.5'])(
    'refuses %j',
    (value) => {
      expect(parseTrustProxy(value)).toBeUndefined();
    },
  );
});

describe('HTTP_TRUST_PROXY', () => {
  const load = (value: string) => httpConfig.load({ HTTP_TRUST_PROXY: value });

  it('trusts one hop behind the gateway and an address list when given one', () => {
    expect(load('1').trustProxy).toBe(1);
    expect(load('10.0.0.0/8').trustProxy).toEqual(['10.0.0.0/8']);
  });

  it('refuses anything else and names the variable', () => {
    let problems: readonly string[] = [];
    try {
      load('everyone');
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      problems = error.problems;
    }
    expect(problems.join('\n')).toContain('HTTP_TRUST_PROXY must be false, a hop count');
  });
});
