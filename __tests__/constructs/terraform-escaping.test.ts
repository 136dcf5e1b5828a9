import { escapeTerraformTemplate, hclStringArgument, terraformTemplate } from '../../constructs/terraform-escaping';
import { evaluateTerraformTemplate } from './evaluate-terraform-template';

describe('escapeTerraformTemplate', () => {
  test.each([
    ['echo ${HOME}', 'echo $${HOME}'],
    ['%{ if x }', '%%{ if x }'],
    ['already $${escaped} and %%{this}', 'already $$${escaped} and %%%{this}'],
    ['$$ and %% and $ { alone', '$$ and %% and $ { alone'],
    ['{"json":"}"}', '{"json":"}"}'],
  ])('%s', (literal, escaped) => {
    expect(escapeTerraformTemplate(literal)).toBe(escaped);
    expect(evaluateTerraformTemplate(escaped, {})).toBe(literal);
  });
});

describe('terraformTemplate', () => {
  const key = { interpolation: '${var.key}' };

  test('without interpolations it is plain escaping', () => {
    expect(terraformTemplate([{ literal: 'a ${b}' }, { literal: ' %{c}' }])).toBe('a $${b} %%{c}');
  });

  test.each([
    ['${', '${"$"}{'],
    ['$${', '${"$$"}{'],
    ['cost: $', 'cost: ${"$"}'],
    ['%{', '%%{'],
    ['} {', '} {'],
  ])('a literal %j before an interpolation is written %j', (literal, written) => {
    const template = terraformTemplate([{ literal }, key]);
    expect(template).toBe(`${written}\${var.key}`);
    expect(evaluateTerraformTemplate(template, { key: 'K' })).toBe(`${literal}K`);
  });
});

describe('hclStringArgument', () => {
  test.each([
    ['plain', '"plain"'],
    ['say "hi" \\ bye', '"say \\"hi\\" \\\\ bye"'],
    ['line\nnext\ttab\u0001', '"line\\nnext\\u0009tab\\u0001"'],
    ['%{ if } and ${left to cdktf}', '"%%{ if } and ${left to cdktf}"'],
    ['é 😀', '"é 😀"'],
  ])('%j is written %s', (literal, written) => {
    expect(hclStringArgument(literal)).toBe(written);
  });
});
