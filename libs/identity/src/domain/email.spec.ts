import { Email } from './email.js';
import { InvalidEmailError } from './user.errors.js';

describe('Email', () => {
  it.each([
    ['ann@shop.example', 'ann@shop.example'],
    ['  Ann@Shop.Example  ', 'ann@shop.example'],
    ['ANN.LEE+orders@SHOP.EXAMPLE', 'ann.lee+orders@shop.example'],
    ['\tbob@mail.co.uk\n', 'bob@mail.co.uk'],
  ])('normalises %j to %j', (raw, normalised) => {
    expect(Email.parse(raw).value).toBe(normalised);
    expect(Email.normalise(raw)).toBe(normalised);
  });

  it.each([
    ['empty', ''],
    ['no at sign', 'ann.shop.example'],
    ['no domain', 'ann@'],
    ['no local part', '@shop.example'],
    ['a domain without a dot', 'ann@localhost'],
    ['two at signs', 'ann@bob@shop.example'],
    ['inner whitespace', 'ann lee@shop.example'],
    ['an empty domain label', 'ann@shop..example'],
    ['a local part over 64 characters', `${'a'.repeat(65)}@shop.example`],
    ['more than 254 characters', `ann@${'d'.repeat(250)}.example`],
  ])('rejects an address with %s', (_case, raw) => {
    expect(() => Email.parse(raw)).toThrow(InvalidEmailError);
  });

  it('exposes the local part, which the password policy compares against', () => {
    expect(Email.parse('Ann.Lee@shop.example').localPart).toBe('ann.lee');
  });
});
