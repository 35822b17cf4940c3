/** Headers every answer carries, whoever made it (an app or the gateway), and their values. */
export const REQUIRED_HEADERS: Record<string, RegExp> = {
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^(DENY|SAMEORIGIN)$/,
  'content-security-policy': /frame-ancestors 'none'/,
  'strict-transport-security': /max-age=\d{7,}/,
  'referrer-policy': /^no-referrer$/,
  'cross-origin-resource-policy': /^same-(site|origin)$/,
};

/** Which of the required headers an answer lacks or gets wrong, and what reveals the stack. */
export function headerProblems(answer: { readonly headers: Headers }): string[] {
  const problems = Object.entries(REQUIRED_HEADERS)
    .filter(([name, expected]) => !expected.test(answer.headers.get(name) ?? ''))
    .map(([name]) => `${name}: ${answer.headers.get(name) ?? 'missing'}`);
  if (answer.headers.has('x-powered-by')) problems.push('x-powered-by is sent');
  if (/\d/.test(answer.headers.get('server') ?? '')) {
    problems.push(`server names its version: ${answer.headers.get('server')}`);
  }
  return problems;
}

/** What is wrong with an error answer: a missing header, or a body that is not problem+json. */
export function refusalProblems(answer: {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}): string[] {
  const problems = headerProblems(answer);
  const type = answer.headers.get('content-type') ?? 'none';
  if (!type.startsWith('application/problem+json')) problems.push(`content-type: ${type}`);
  let status: unknown;
  try {
    status = (JSON.parse(answer.text) as { status?: unknown }).status;
  } catch {
    status = undefined;
  }
  if (status !== answer.status) problems.push(`body status ${String(status)}: ${answer.text}`);
  return problems;
}
